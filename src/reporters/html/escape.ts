import { type JsonPath, jsonPieces } from '../json-pieces.js';

/** Text or attribute value for HTML: the five significant characters become references. */
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * JSON for a `<script type="application/json">` block: `<`, `>` and `&` are written as \u escapes (so no
 * `</script>` or `<!--` can end or change the block) and U+2028/U+2029 are escaped too. JSON.parse reads it
 * back unchanged.
 */
export function scriptJson(value: unknown): string {
  return scriptSafe(JSON.stringify(value));
}

/**
 * `scriptJson(value)` as consecutive pieces: the containers `expand` names member by member, their long
 * lists a batch of members at a time. Each character is escaped on its own, so escaping piece by piece
 * gives the same text.
 */
export function* scriptJsonPieces(value: object, expand: (path: JsonPath) => boolean): Generator<string> {
  for (const piece of jsonPieces(value, expand, { indent: '' })) yield scriptSafe(piece);
}

function scriptSafe(json: string): string {
  return json
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
