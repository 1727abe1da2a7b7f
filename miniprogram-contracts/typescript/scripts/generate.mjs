// Generates src/generated/api.ts from ../openapi.json (the server's OpenAPI document).
//
//   node scripts/generate.mjs           write src/generated/api.ts
//   node scripts/generate.mjs --check   fail (exit 1) when the committed file differs from a fresh generation
//
// Only the shopper (/api/mp) and guide (/api/guide) audiences go into the client: the document is filtered
// first (HQ, integration and webhook paths dropped, with every component that only they used), so the
// mini-program team never sees a type it must not call. Besides openapi-typescript's `paths` and
// `components`, the file gets `ErrorCodes`: per path and method, the union of the operation's
// `x-error-codes` (operations without that extension are left out, and the client types their codes as string).
import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import openapiTS, { astToString } from "openapi-typescript";

const here = (relative) => fileURLToPath(new URL(relative, import.meta.url));
const DOCUMENT = here("../../openapi.json");
const OUTPUT = here("../src/generated/api.ts");
const CLIENT_PREFIXES = ["/api/mp", "/api/guide"];
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

export function isClientPath(path) {
  return CLIENT_PREFIXES.some((prefix) => path === prefix || path.startsWith(prefix + "/"));
}

/** The document with only the client's paths and the components they reach (through $ref, transitively). */
export function filterDocument(document) {
  const paths = Object.fromEntries(Object.entries(document.paths ?? {}).filter(([path]) => isClientPath(path)));
  const filtered = { ...document, paths };
  delete filtered.webhooks;

  const components = document.components ?? {};
  const kept = {};
  const pending = [paths];
  const keep = (section, name) => {
    const value = components[section]?.[name];
    if (value === undefined) throw new Error(`openapi.json: #/components/${section}/${name} is referenced but missing`);
    kept[section] ??= {};
    if (name in kept[section]) return;
    kept[section][name] = value;
    pending.push(value);
  };
  const visit = (node) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== "object") return;
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string") {
        const match = /^#\/components\/([^/]+)\/(.+)$/.exec(value);
        if (match) keep(match[1], decodeURIComponent(match[2]).replaceAll("~1", "/").replaceAll("~0", "~"));
      } else {
        visit(value);
      }
    }
  };
  while (pending.length > 0) visit(pending.pop());

  // Security schemes are named by security requirements (not $ref): keep those the kept operations name.
  const schemes = new Set();
  for (const requirement of document.security ?? []) Object.keys(requirement).forEach((name) => schemes.add(name));
  for (const item of Object.values(paths))
    for (const method of METHODS)
      for (const requirement of item[method]?.security ?? []) Object.keys(requirement).forEach((name) => schemes.add(name));
  for (const name of [...schemes].sort()) if (components.securitySchemes?.[name]) keep("securitySchemes", name);

  const sorted = {};
  for (const section of Object.keys(components)) {
    if (!kept[section]) continue;
    sorted[section] = Object.fromEntries(Object.keys(components[section]).filter((n) => n in kept[section]).map((n) => [n, kept[section][n]]));
  }
  if (Object.keys(sorted).length > 0) filtered.components = sorted;
  else delete filtered.components;
  return filtered;
}

/** `ErrorCodes` as TypeScript: per path and method, the union of the operation's x-error-codes. */
export function errorCodesSource(document) {
  const lines = [];
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    const methods = [];
    for (const method of METHODS) {
      const codes = item[method]?.["x-error-codes"];
      if (codes === undefined) continue;
      if (!Array.isArray(codes) || codes.some((code) => typeof code !== "string"))
        throw new Error(`openapi.json: ${method.toUpperCase()} ${path}: x-error-codes must be an array of strings`);
      const unique = [...new Set(codes)].sort();
      methods.push(`        ${method}: ${unique.length > 0 ? unique.map((c) => JSON.stringify(c)).join(" | ") : "never"};`);
    }
    if (methods.length > 0) lines.push(`    ${JSON.stringify(path)}: {`, ...methods, "    };");
  }
  return [
    "/** Per path and method, the stable `code`s the operation declares (`x-error-codes`); absent: not declared. */",
    lines.length > 0 ? ["export interface ErrorCodes {", ...lines, "}"].join("\n") : "export interface ErrorCodes {}",
    "",
  ].join("\n");
}

export async function generate() {
  const document = JSON.parse(await readFile(DOCUMENT, "utf8"));
  const filtered = filterDocument(document);
  const ast = await openapiTS(filtered, { silent: true });
  const header = [
    "// Generated by `npm run generate` from miniprogram-contracts/openapi.json (openapi-typescript).",
    "// Do not edit: change the server, export the document, regenerate. `npm run check-generated` fails when stale.",
    "",
  ].join("\n");
  return header + astToString(ast) + "\n" + errorCodesSource(filtered);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const fresh = await generate();
  if (process.argv.includes("--check")) {
    const committed = await readFile(OUTPUT, "utf8").catch(() => "");
    if (committed !== fresh) {
      console.error("src/generated/api.ts is stale: run `npm run generate` in miniprogram-contracts/typescript and commit it.");
      process.exit(1);
    }
    console.log("src/generated/api.ts matches miniprogram-contracts/openapi.json");
  } else {
    await writeFile(OUTPUT, fresh);
    console.log(`wrote ${OUTPUT}`);
  }
}
