/**
 * A string as an SQL literal, for statements sent with the simple protocol (which carries no
 * parameters): exactly what `pg.escapeLiteral` returns — quotes doubled, and when the text holds a
 * backslash, backslashes doubled and the E'' form — built with two native replaces instead of pg's
 * character-by-character concatenation, whose rope of one string piece per character the batch's join
 * and the socket write must flatten (measured: docs/performance.md, "SQL literals without a rope").
 */
export function sqlLiteral(text: string): string {
  const quoted = text.replaceAll("'", "''");
  return text.includes('\\') ? ` E'${quoted.replaceAll('\\', '\\\\')}'` : `'${quoted}'`;
}
