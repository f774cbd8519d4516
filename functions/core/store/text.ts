/**
 * The store's one text rule. PostgreSQL text and jsonb cannot hold U+0000, nor an unpaired
 * UTF-16 surrogate (not Unicode at all): either one would abort a whole load. Both are stored
 * as U+FFFD, the replacement character, in raw documents and typed columns alike, so a typed
 * column always equals its raw field. The rule has two forms: one for a JS string, one for the
 * JSON text of a document (where such characters appear only as escapes).
 */

/** A string as the store keeps it. */
export function storableText(text: string): string {
  const wellFormed = text.isWellFormed() ? text : text.toWellFormed();
  return wellFormed.includes('\u0000') ? wellFormed.replace(/\u0000/g, '\uFFFD') : wellFormed;
}

/**
 * The JSON text of a document as the store keeps it. JSON.stringify writes the characters of the
 * rule only as `\u0000` and `\udxxx` escapes (a surrogate escaped only when unpaired); an escaped
 * backslash before such a sequence is text, so it is left alone.
 */
export function storableJson(json: string): string {
  return /\\u(0000|d[89a-f])/i.test(json) ? json.replace(/(?<!\\)((?:\\\\)*)\\u(?:0000|d[89a-f][0-9a-f]{2})/gi, '$1\\ufffd') : json;
}
