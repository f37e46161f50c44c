// A small, strict CSV reader (RFC 4180 plus the leniencies real files need):
// quoted fields with "" escapes and commas or line breaks inside the quotes,
// LF, CRLF or CR line ends, a leading byte-order mark, spaces around fields
// trimmed, blank lines skipped. Anything it cannot read unambiguously (an
// unclosed quote, text after a closing quote, a row with the wrong number of
// fields) is an InputError naming the file and line. Pure: it reads a string.

import { InputError, show } from "../core/errors.js";
import type { Table } from "./table.js";

interface Cursor {
  i: number;
  line: number;
}

function isLineEnd(c: string | undefined): boolean {
  return c === "\n" || c === "\r";
}

function skipSpaces(text: string, at: Cursor): void {
  while (at.i < text.length && (text[at.i] === " " || text[at.i] === "\t")) at.i++;
}

/** Reads a quoted field starting at the opening quote; leaves the cursor after the closing quote. */
function quotedField(text: string, at: Cursor, source: string): string {
  const openLine = at.line;
  at.i++;
  let value = "";
  let start = at.i;
  for (;;) {
    if (at.i >= text.length) throw new InputError(`${source} line ${openLine}: a quoted field opens here and is never closed`);
    const c = text[at.i];
    if (c === '"') {
      if (text[at.i + 1] === '"') {
        value += text.slice(start, at.i + 1);
        at.i += 2;
        start = at.i;
        continue;
      }
      value += text.slice(start, at.i);
      at.i++;
      return value;
    }
    if (c === "\n" || (c === "\r" && text[at.i + 1] !== "\n")) at.line++;
    at.i++;
  }
}

/** Reads one record (one or more physical lines); returns its fields and whether it was a blank line. */
function record(text: string, at: Cursor, source: string): { fields: string[]; blank: boolean } {
  const fields: string[] = [];
  let quotedAny = false;
  for (;;) {
    skipSpaces(text, at);
    let value: string;
    if (text[at.i] === '"') {
      quotedAny = true;
      value = quotedField(text, at, source);
      skipSpaces(text, at);
      const c = text[at.i];
      if (at.i < text.length && c !== "," && !isLineEnd(c)) {
        throw new InputError(`${source} line ${at.line}: unexpected ${show(c)} after a closing quote; a quoted field must end at a comma or the line end`);
      }
    } else {
      const start = at.i;
      while (at.i < text.length && text[at.i] !== "," && !isLineEnd(text[at.i])) at.i++;
      value = text.slice(start, at.i).trim();
    }
    fields.push(value);
    if (text[at.i] === ",") {
      at.i++;
      continue;
    }
    if (text[at.i] === "\r") at.i++;
    if (text[at.i] === "\n") at.i++;
    at.line++;
    return { fields, blank: !quotedAny && fields.length === 1 && fields[0] === "" };
  }
}

/**
 * Parses CSV text whose first non-blank line is the header. An empty header
 * cell is named "column N" (1-based); duplicate names are an error.
 */
export function parseCsv(text: string, source: string): Table {
  const at: Cursor = { i: text.charCodeAt(0) === 0xfeff ? 1 : 0, line: 1 };
  let header: string[] | undefined;
  let headerLine = 0;
  const rows: string[][] = [];
  const origin: number[] = [];
  while (at.i < text.length) {
    const line = at.line;
    const { fields, blank } = record(text, at, source);
    if (blank) continue;
    if (!header) {
      header = fields.map((name, j) => (name === "" ? `column ${j + 1}` : name));
      headerLine = line;
      const seen = new Set<string>();
      for (const name of header) {
        if (seen.has(name)) throw new InputError(`${source} line ${line}: the header names column ${show(name)} twice; column names must be unique`);
        seen.add(name);
      }
      continue;
    }
    if (fields.length !== header.length) {
      throw new InputError(
        `${source} line ${line} has ${fields.length} fields, but the header (line ${headerLine}) has ${header.length} columns; every row needs exactly ${header.length}`,
      );
    }
    rows.push(fields);
    origin.push(line);
  }
  if (!header) throw new InputError(`${source} is empty; a CSV file needs a header line and data rows`);
  if (rows.length === 0) throw new InputError(`${source} has a header but no data rows`);
  return { source, columns: header, rows, origin, originKind: "line" };
}
