// A union-valued rule is decided exhaustively (issue 10): the engine branches on its value with a
// switch that ends in `default: unreachable(x)`, or looks it up in a table typed over every value,
// so that a value added to a rule's domain fails to type-check until every read handles it. A
// `===` / `!==` against one of the values, or a switch without that default, would send a new
// value down the else branch in silence. Types are read with the TypeScript checker, so a
// comparison is caught however the value reached it (a reader's result, a parameter, a copy).
import { join, relative } from 'node:path';
import { readdirSync } from 'node:fs';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { RULE_DOMAINS } from '../src/contract/era.js';

const ROOT = join(__dirname, '..');
const ENGINE = join(ROOT, 'src', 'engine');
const FIXTURE = join(ROOT, 'test', 'fixtures', 'non-exhaustive-rule-reads.ts');

/** The value lists of the union-valued rules (booleans and subsets have no branch to miss). */
const DOMAINS = Object.values(RULE_DOMAINS).flatMap((d) => ('oneOf' in d ? [new Set<string>(d.oneOf)] : []));

const config = ts.getParsedCommandLineOfConfigFile(join(ROOT, 'tsconfig.json'), {}, {
  ...ts.sys,
  onUnRecoverableConfigFileDiagnostic: (d) => {
    throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  },
})!;
const engineFiles = readdirSync(ENGINE).filter((f) => f.endsWith('.ts')).map((f) => join(ENGINE, f));
const program = ts.createProgram([...engineFiles, FIXTURE], config.options);
const checker = program.getTypeChecker();

/** The string literals an expression's type allows, null and undefined aside; null if it allows anything else. */
function literals(node: ts.Expression): string[] | null {
  const type = checker.getNonNullableType(checker.getTypeAtLocation(node));
  const parts = type.isUnion() ? type.types : [type];
  return parts.every((t) => t.isStringLiteral()) ? parts.map((t) => (t as ts.StringLiteralType).value) : null;
}

/** Is this expression a rule's value: two or more values, all of one rule's domain? */
function isRuleValue(node: ts.Expression): boolean {
  const values = literals(node);
  return values !== null && values.length >= 2 && DOMAINS.some((d) => values.every((v) => d.has(v)));
}

const EQUALITY = new Set([ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken]);

/** Reads of a rule's value that a new value would pass unhandled, as `file:line: text`. */
function nonExhaustive(file: string): string[] {
  const sf = program.getSourceFile(file)!;
  const found: string[] = [];
  const report = (node: ts.Node) => {
    const line = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
    found.push(`${relative(ROOT, file)}:${line}: ${node.getText(sf).split('\n')[0]}`);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isBinaryExpression(node) && EQUALITY.has(node.operatorToken.kind)) {
      const [a, b] = [node.left, node.right];
      if ((isRuleValue(a) && literals(b)) || (isRuleValue(b) && literals(a))) report(node);
    }
    if (ts.isSwitchStatement(node) && isRuleValue(node.expression)) {
      const fallback = node.caseBlock.clauses.find(ts.isDefaultClause);
      const callsUnreachable = (n: ts.Node): boolean =>
        (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'unreachable') || ts.forEachChild(n, callsUnreachable) === true;
      if (!fallback || !callsUnreachable(fallback)) report(node);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

describe('reads of union-valued rules', () => {
  it('the check finds the non-exhaustive reads of its fixture, and only those', () => {
    expect(nonExhaustive(FIXTURE).map((r) => r.replace(/^[^:]*:\d+: /, ''))).toEqual([
      "gup === 'write'",
      "gup !== 'as-fault'",
      'switch (gup) {',
    ]);
  });

  it.each(engineFiles.map((f) => relative(ROOT, f)))('%s decides every union-valued rule exhaustively', (file) => {
    expect(nonExhaustive(join(ROOT, file))).toEqual([]);
  });
});
