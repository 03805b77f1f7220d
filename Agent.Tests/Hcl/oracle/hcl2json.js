#!/usr/bin/env node
// Prints the JSON that @cdktf/hcl2json (the reference HCL2 parser) makes of HCL files.
// One file: prints its JSON. Several files: prints one JSON object mapping each path to
// {"json": ...} or {"error": "..."} so a test pays the WASM start-up once.
"use strict";
const fs = require("fs");
const { parse } = require("@cdktf/hcl2json");

async function convert(path) {
  try {
    return { json: await parse(path, fs.readFileSync(path, "utf8")) };
  } catch (e) {
    return { error: String(e && e.message ? e.message : e) };
  }
}

(async () => {
  const paths = process.argv.slice(2);
  if (paths.length === 0) {
    console.error("usage: hcl2json.js FILE...");
    process.exit(2);
  }
  if (paths.length === 1) {
    const r = await convert(paths[0]);
    if (r.error !== undefined) {
      console.error(r.error);
      process.exit(1);
    }
    process.stdout.write(JSON.stringify(r.json, null, 2) + "\n");
    return;
  }
  const out = {};
  for (const p of paths) out[p] = await convert(p);
  process.stdout.write(JSON.stringify(out) + "\n");
})();
