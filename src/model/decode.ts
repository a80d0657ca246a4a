/**
 * Turning a policy document given as text into JSON: plain JSON, URL-encoded JSON (what the IAM API
 * returns), doubly encoded, or a JSON string that itself holds the document.
 */

export type DecodeResult = { ok: true; value: unknown } | { ok: false; reason: string };

const MAX_LAYERS = 4;

function percentDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    // Damaged encoding (a lone `%`, a cut multi-byte sequence): decode the well-formed escapes only.
    try {
      return text.replace(/(%[0-9a-fA-F]{2})+/g, (run) => {
        try {
          return decodeURIComponent(run);
        } catch {
          return run;
        }
      });
    } catch {
      return undefined;
    }
  }
}

/** True when the text looks URL-encoded: starts (after spaces) with an encoded `{` / `[` / `"`, or holds `%22` and no quote. */
function looksUrlEncoded(t: string): boolean {
  if (t.length < 3 || t.charCodeAt(0) !== 37 /* % */) {
    return t.indexOf('"') < 0 && /%(22|7[bB])/.test(t);
  }
  const h = t.slice(1, 3).toUpperCase();
  return (
    h === '7B' ||
    h === '5B' ||
    h === '22' ||
    h === '25' ||
    h === '20' ||
    h === '0A' ||
    h === '09' ||
    h === '0D'
  );
}

/** Decode a policy document given as text. Never throws. */
export function decodePolicyText(text: string): DecodeResult {
  const r = decodeLayers(text);
  // Form encoding writes spaces as '+' (AWS itself uses %20): retry that way before giving up.
  if (!r.ok && r.encoded?.includes('+')) {
    const again = decodeLayers(r.encoded.replace(/\+/g, '%20'));
    if (again.ok) return again;
  }
  return r.ok ? r : { ok: false, reason: r.reason };
}

type LayerResult = { ok: true; value: unknown } | { ok: false; reason: string; encoded?: string };

function decodeLayers(text: string): LayerResult {
  let t = text;
  let encoded: string | undefined;
  for (let layer = 0; layer < MAX_LAYERS; layer++) {
    t = t.trim();
    if (t.charCodeAt(0) === 0xfeff) t = t.slice(1).trim();
    if (t.length === 0) return { ok: false, reason: 'the document is empty' };
    if (looksUrlEncoded(t)) {
      const d = percentDecode(t);
      if (d === undefined || d === t)
        return { ok: false, reason: 'the URL-encoded document could not be decoded' };
      encoded = t;
      t = d;
      continue;
    }
    const c = t.charCodeAt(0);
    if (c !== 123 /* { */ && c !== 91 /* [ */ && c !== 34 /* " */) {
      return { ok: false, reason: 'the document is neither JSON nor URL-encoded JSON' };
    }
    let v: unknown;
    try {
      v = JSON.parse(t);
    } catch (e) {
      const reason = `the document is not valid JSON (${(e as Error).message})`;
      return encoded === undefined ? { ok: false, reason } : { ok: false, reason, encoded };
    }
    if (typeof v === 'string') {
      // A JSON string holding the document (double-serialised exports).
      t = v;
      continue;
    }
    return { ok: true, value: v };
  }
  return { ok: false, reason: 'the document is encoded too many times' };
}
