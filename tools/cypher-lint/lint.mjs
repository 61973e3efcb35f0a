#!/usr/bin/env node
// Cypher lint server for the gridgraph test suite (see README.md beside this file).
//
// Lints Cypher with Neo4j's own Cypher front-end (parser + semantic analysis,
// compiled to JavaScript) as shipped in @neo4j-cypher/language-support, pinned
// in package.json. No Neo4j server is needed.
//
// Protocol: newline-delimited JSON on stdin / stdout, one object per line.
//   1st request : {"schema": {...DbSchema...}, "options": {"checkWrites": true}}   ("options" optional)
//   reply       : {"ready": true, "package": "<installed version>"}
//   each request: {"id": n, "query": "..."}
//   reply       : {"id": n, "diagnostics": [{"severity": "error"|"warning"|"information"|"hint",
//                                            "message": "...", "line": L, "column": C}]}
//                 line and column are 1-based; diagnostics are sorted by position.
//   on a bad request or an internal failure: {"id": n|null, "error": "..."}
// The process exits when stdin closes.
//
// Other mode: `node lint.mjs --signatures [plugin-namespace ...]` prints one JSON object
// {"functions": {...}, "procedures": {...}} in DbSchema's shape: the Neo4j built-in
// functions and procedures (db.*, dbms.*, tx.*, cdc.*) for every Cypher version the
// package ships, plus those of the plugin namespaces named (e.g. apoc, gds).
//
// What is filtered or added on top of lintCypherQuery (all documented in README.md):
//  * "Parameter $x is not defined." errors are dropped (isNotParamError, the package's own
//    filter): parameters are supplied by the driver at run time, never declared in a schema.
//  * A false positive of the package is dropped: inside a pattern's property map, e.g.
//    MATCH (c:Compound {id: row.compound_id}), the key `compound_id` of `row.compound_id`
//    is attributed to `c` and reported as an unknown property although `row` is a map.
//  * checkWrites (default true): the package deliberately skips labels, relationship
//    types and property keys in CREATE / MERGE / SET / REMOVE and in schema commands
//    (CREATE CONSTRAINT / INDEX), and properties in some expression positions. A loader's
//    MERGE (n:Compund {idd: row.id}) would pass silently. This adds warnings for names
//    there that are not in the schema, from the package's own tokens and symbol tables.
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import {
  highlightSyntax,
  isNotParamError,
  lintCypherQuery,
  testData,
} from '@neo4j-cypher/language-support';

const PACKAGE_JSON = fileURLToPath(
  new URL('./node_modules/@neo4j-cypher/language-support/package.json', import.meta.url),
);
const PACKAGE_VERSION = JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')).version;

const SEVERITY = { 1: 'error', 2: 'warning', 3: 'information', 4: 'hint' };
const WARNING = 2;
const NOT_PRESENT =
  " is not present in the database. Make sure you didn't misspell it or that it is available when you run this statement in your application";
const BUILTIN_PROCEDURE_NAMESPACES = ['db', 'dbms', 'tx', 'cdc'];

// ---------------------------------------------------------------- signatures

function signatures(pluginNamespaces) {
  // The package ships (as testData.mockSchema) the `SHOW FUNCTIONS` / `SHOW PROCEDURES`
  // output of a Neo4j server with APOC and GDS installed, per Cypher version. Keep the
  // built-ins, and plugin namespaces only when asked for.
  const inNamespaces = (name, namespaces) => namespaces.includes(name.split('.')[0]);
  const functions = {};
  const procedures = {};
  for (const [version, registry] of Object.entries(testData.mockSchema.functions)) {
    functions[version] = Object.fromEntries(
      Object.entries(registry).filter(
        ([name, fn]) => fn.isBuiltIn || inNamespaces(name, pluginNamespaces),
      ),
    );
  }
  for (const [version, registry] of Object.entries(testData.mockSchema.procedures)) {
    procedures[version] = Object.fromEntries(
      Object.entries(registry).filter(([name]) =>
        inNamespaces(name, [...BUILTIN_PROCEDURE_NAMESPACES, ...pluginNamespaces]),
      ),
    );
  }
  return { functions, procedures };
}

// ------------------------------------------------------ write-side schema check

const unquote = (name) => name.replace(/^`|`$/g, '').replace(/``/g, '`');

function isEntity(symbol) {
  return (
    symbol !== undefined &&
    symbol.types.length > 0 &&
    symbol.types.every((t) => t === 'Node' || t === 'Relationship')
  );
}

/**
 * Walks the package's syntax-highlighting tokens with a bracket stack and returns
 *  - extra: [{offset, line, character, message}] names not in the schema that the
 *    package's own check skips (write clauses, schema commands, map projections ...)
 *  - mapAccessOffsets: offsets of property keys read from a non-entity (e.g. `row.x`),
 *    used to drop the package's false positives on them.
 */
function walkTokens(query, dbSchema, symbolTables) {
  const tokens = highlightSyntax(query).filter((t) => t.tokenType !== 'comment');
  const symbolAt = new Map();
  for (const table of symbolTables) {
    for (const symbol of table) {
      symbolAt.set(symbol.definitionPosition, symbol);
      for (const ref of symbol.references) symbolAt.set(ref, symbol);
    }
  }
  const labels = dbSchema.labels && new Set(dbSchema.labels);
  const relTypes = dbSchema.relationshipTypes && new Set(dbSchema.relationshipTypes);
  const propertyKeys = dbSchema.propertyKeys && new Set(dbSchema.propertyKeys);
  const checkNames = labels !== undefined && relTypes !== undefined;

  const extra = [];
  const mapAccessOffsets = new Set();
  const stack = []; // {kind, start}   kind: node | rel | call | propmap | setmap | projection | other
  let schemaCommand = false;
  let statementKeywords = [];
  let lastClauseKeyword = '';

  const is = (t, type, text) =>
    t !== undefined && t.tokenType === type && (text === undefined || t.token === text);
  const report = (t, message) =>
    extra.push({
      offset: t.position.startOffset,
      line: t.position.line,
      character: t.position.startCharacter,
      message,
    });
  // Tokens between an opening ( or [ and position i are only a pattern's variable and
  // label / type expression (so a { at i opens that pattern's property map).
  const patternPrefixOnly = (from, to) => {
    for (let j = from + 1; j < to; j++) {
      const t = tokens[j];
      const ok =
        t.tokenType === 'variable' ||
        t.tokenType === 'label' ||
        t.tokenType === 'symbolicName' ||
        t.tokenType === 'numberLiteral' ||
        (t.tokenType === 'operator' && [':', '&', '|', '!', '%', '*', '..'].includes(t.token));
      if (!ok) return false;
    }
    return true;
  };

  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const prev = tokens[i - 1];
    const next = tokens[i + 1];

    if (t.tokenType === 'punctuation' && t.token === ';' && stack.length === 0) {
      schemaCommand = false;
      statementKeywords = [];
      lastClauseKeyword = '';
      continue;
    }
    if (t.tokenType === 'keyword') {
      const kw = t.token.toUpperCase();
      if (statementKeywords.length < 4) {
        statementKeywords.push(kw);
        schemaCommand =
          ['CREATE', 'DROP'].includes(statementKeywords[0]) &&
          (statementKeywords.includes('CONSTRAINT') || statementKeywords.includes('INDEX'));
      }
      if (
        ['MATCH', 'MERGE', 'CREATE', 'SET', 'REMOVE', 'DELETE', 'WITH', 'RETURN', 'UNWIND',
          'WHERE', 'CALL', 'FOREACH', 'ORDER', 'INSERT'].includes(kw)
      ) {
        lastClauseKeyword = kw;
      }
      continue;
    }

    if (t.tokenType === 'bracket') {
      if (['(', '[', '{'].includes(t.token)) {
        let kind = 'other';
        if (t.token === '(') {
          kind =
            prev && ['function', 'procedure', 'predicateFunction'].includes(prev.tokenType)
              ? 'call'
              : 'node';
        } else if (t.token === '[') {
          kind = is(prev, 'separator', '-') ? 'rel' : 'other';
        } else {
          const top = stack.at(-1);
          if (top && (top.kind === 'node' || top.kind === 'rel') && patternPrefixOnly(top.start, i)) {
            kind = 'propmap';
          } else if (prev && prev.tokenType === 'variable') {
            kind = 'projection';
          } else if (
            prev &&
            prev.tokenType === 'operator' &&
            (prev.token === '+=' || prev.token === '=') &&
            is(tokens[i - 2], 'variable') &&
            lastClauseKeyword === 'SET' &&
            isEntity(symbolAt.get(tokens[i - 2].position.startOffset))
          ) {
            kind = 'setmap';
          }
        }
        stack.push({ kind, start: i, owner: kind === 'projection' ? prev : undefined });
      } else {
        stack.pop();
      }
      continue;
    }

    // Labels and relationship types (also rel types that schema commands tokenise as
    // symbolicName after ':').
    if (
      checkNames &&
      (t.tokenType === 'label' || (t.tokenType === 'symbolicName' && is(prev, 'operator', ':')))
    ) {
      const name = unquote(t.token);
      const top = stack.at(-1);
      const inRel = top !== undefined && top.kind === 'rel';
      const inNode = top !== undefined && top.kind === 'node' && patternPrefixOnly(top.start, i + 1);
      if (inRel && !relTypes.has(name)) {
        report(t, `Relationship type ${name} is not in the schema's relationship types`);
      } else if (inNode && !labels.has(name)) {
        report(t, `Label ${name} is not in the schema's labels`);
      } else if (!inRel && !inNode && !labels.has(name) && !relTypes.has(name)) {
        report(t, `Label or relationship type ${name} is not in the schema`);
      }
      continue;
    }

    if (t.tokenType !== 'property' || propertyKeys === undefined) continue;
    const name = unquote(t.token);
    const top = stack.at(-1);
    let entityProperty = false;
    if (is(prev, 'operator', '.')) {
      const owner = tokens[i - 2];
      if (is(owner, 'variable')) {
        // v.key: a property of v if v is a node or relationship. Schema commands have no
        // symbol table; there v is the entity bound by FOR (v:Label).
        const symbol = symbolAt.get(owner.position.startOffset);
        entityProperty = isEntity(symbol) || (schemaCommand && symbol === undefined);
        if (!entityProperty && symbol !== undefined) mapAccessOffsets.add(t.position.startOffset);
      } else if (
        owner !== undefined &&
        (is(owner, 'bracket', '{') || is(owner, 'separator', ',')) &&
        top !== undefined &&
        top.kind === 'projection'
      ) {
        // map projection v{.key, ...}
        entityProperty = isEntity(symbolAt.get(top.owner.position.startOffset));
      }
    } else if (is(next, 'operator', ':') && top !== undefined) {
      // key in a pattern's property map (n:L {key: ...}) or in SET n += {key: ...}
      entityProperty = top.kind === 'propmap' || top.kind === 'setmap';
    }
    if (entityProperty && !propertyKeys.has(name)) {
      report(t, `Property key ${name} is not in the schema's property keys`);
    }
  }
  return { extra, mapAccessOffsets };
}

// ---------------------------------------------------------------------- lint

function lint(query, dbSchema, options) {
  const { diagnostics, symbolTables } = lintCypherQuery(query, dbSchema, {
    consoleCommandsEnabled: false,
  });
  let kept = diagnostics.filter(isNotParamError);
  const hasSyntaxError = kept.some((d) => d.severity === 1);
  // After a syntax error the parser's recovery makes token classification unreliable,
  // and the query fails anyway.
  if (options.checkWrites && !hasSyntaxError) {
    const { extra, mapAccessOffsets } = walkTokens(query, dbSchema, symbolTables);
    kept = kept.filter(
      (d) =>
        !(
          d.severity === WARNING &&
          mapAccessOffsets.has(d.offsets.start) &&
          d.message.endsWith(NOT_PRESENT)
        ),
    );
    const reported = new Set(kept.map((d) => d.offsets.start));
    for (const e of extra) {
      if (reported.has(e.offset)) continue;
      kept.push({
        severity: WARNING,
        message: `${e.message} (cypher-lint check where the package does not look)`,
        range: { start: { line: e.line, character: e.character } },
        offsets: { start: e.offset },
      });
    }
  }
  return kept
    .map((d) => ({
      severity: SEVERITY[d.severity] ?? String(d.severity),
      message: d.message,
      line: d.range.start.line + 1,
      column: d.range.start.character + 1,
    }))
    .sort((a, b) => a.line - b.line || a.column - b.column || (a.message > b.message ? 1 : -1));
}

// ------------------------------------------------------------------- server

function write(obj) {
  process.stdout.write(JSON.stringify(obj) + '\n');
}

function serve() {
  let dbSchema;
  let options;
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false });
  rl.on('line', (line) => {
    if (line.trim() === '') return;
    let request;
    try {
      request = JSON.parse(line);
    } catch (e) {
      write({ id: null, error: `request is not JSON: ${e.message}` });
      return;
    }
    if (dbSchema === undefined) {
      if (request === null || typeof request.schema !== 'object' || request.schema === null) {
        write({ id: null, error: 'the first request must be {"schema": {...}}' });
        return;
      }
      dbSchema = request.schema;
      options = { checkWrites: true, ...(request.options ?? {}) };
      // Warm up the parser and the semantic analysis (first call is ~1 s slower).
      lint('MATCH (n) WHERE n.x = $p RETURN count(n) AS c', dbSchema, options);
      write({ ready: true, package: PACKAGE_VERSION });
      return;
    }
    const id = request?.id ?? null;
    if (typeof request?.query !== 'string') {
      write({ id, error: 'request must be {"id": n, "query": "..."}' });
      return;
    }
    try {
      write({ id, diagnostics: lint(request.query, dbSchema, options) });
    } catch (e) {
      write({ id, error: `linter failed: ${e?.stack ?? e}` });
    }
  });
}

const argv = process.argv.slice(2);
if (argv[0] === '--signatures') {
  write(signatures(argv.slice(1)));
} else if (argv.length > 0) {
  process.stderr.write('usage: node lint.mjs  |  node lint.mjs --signatures [plugin-namespace ...]\n');
  process.exit(2);
} else {
  serve();
}
