/**
 * Trust documents as IAM returns them: URL-encoded JSON from real AWS (RFC 3986), raw JSON from some
 * emulators. These helpers never change the text they keep; they only tell how to read it.
 */
export type DocumentEncoding = 'url' | 'json';

export function documentEncoding(raw: string): DocumentEncoding {
  return raw.trimStart().startsWith('{') ? 'json' : 'url';
}

/** The JSON text of a document as returned by IAM (URL-decoded when it was encoded). */
export function documentText(raw: string): string {
  if (documentEncoding(raw) === 'json') return raw;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
