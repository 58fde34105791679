// string-width for the bundled CLI (tsup.config.ts aliases yargs' string-width to this).
// string-width creates an Intl.Segmenter when it loads, which costs some 30 ms of ICU data on
// every start of mmutt, for the width of a help text that is ASCII only
// (test/startup.test.ts checks that every command's --help is ASCII): for ASCII without
// escape sequences, the width of a string is its length.
const ESCAPES = /\u001B\[[0-9;]*[A-Za-z]|\u001B\][^\u0007]*\u0007/g;

export default function stringWidth(text) {
  if (typeof text !== 'string' || text.length === 0) return 0;
  return text.replace(ESCAPES, '').length;
}
