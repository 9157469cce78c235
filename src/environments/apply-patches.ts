import { diagnosticAt, type Diagnostic, type LocatedSource } from '../common/diagnostic.js';
import { parentPointer } from '../common/json-pointer.js';
import { asRecord } from '../common/record.js';
import { mergePatch } from './merge-patch.js';
import type { SpecDocument } from '../spec/types.js';

export interface PatchedSpecs {
  /** The base documents, each merged with the patches that name it. */
  documents: SpecDocument[];
  diagnostics: Diagnostic[];
}

/**
 * Merges an environment's patch documents over the base specs they name (JSON Merge Patch,
 * in file order). A merged document reports each problem in the file that wrote the value:
 * a value a patch set is located in the patch. A patch without a `name`, or naming no spec,
 * is an error in the patch file.
 */
export function applyPatches(base: readonly SpecDocument[], patches: readonly SpecDocument[]): PatchedSpecs {
  const diagnostics: Diagnostic[] = [];
  const byName = new Map<string, SpecDocument[]>();
  for (const patch of patches) {
    const name = asRecord(patch.value)?.['name'];
    if (typeof name !== 'string' || name === '') {
      diagnostics.push(diagnosticAt(patch, '', 'patch-without-name', 'a patch needs the `name` of the spec it changes'));
    } else byName.set(name, [...(byName.get(name) ?? []), patch]);
  }
  const names = new Set(base.map((document) => asRecord(document.value)?.['name']));
  for (const [name, forName] of byName) {
    if (names.has(name)) continue;
    const known = [...names].filter((n): n is string => typeof n === 'string').sort();
    const message = `this patch is for \`${name}\`, but no spec has that name (specs: ${known.join(', ') || 'none'})`;
    for (const patch of forName) diagnostics.push(diagnosticAt(patch, '/name', 'patch-unknown-spec', message));
  }
  const documents = base.map((document) => {
    const name = asRecord(document.value)?.['name'];
    const forName = typeof name === 'string' ? byName.get(name) : undefined;
    return forName ? mergeDocument(document, forName) : document;
  });
  return { documents, diagnostics };
}

function mergeDocument(document: SpecDocument, patches: readonly SpecDocument[]): SpecDocument {
  let value = document.value;
  const writer = new Map<string, LocatedSource>();
  // A mapping that lost a key to a patch: its own problems (a required key missing) are the patch's.
  const remover = new Map<string, LocatedSource>();
  for (const patch of patches) {
    const { $schema: _editorHint, ...changes } = asRecord(patch.value) ?? {};
    const merged = mergePatch(value, changes);
    value = merged.value;
    for (const pointer of merged.written) writer.set(pointer, patch);
    for (const pointer of merged.removed) remover.set(parentPointer(pointer), { file: patch.file, locate: () => patch.locate(pointer, 'key') });
  }
  const sourceAt = (pointer: string): LocatedSource | undefined => {
    for (let at = pointer; ; at = parentPointer(at)) {
      const found = writer.get(at);
      if (found) return found;
      if (at === '') return remover.get(pointer);
    }
  };
  const merged: SpecDocument = { ...document, value, sourceAt };
  if (patches.some((patch) => !patch.withoutTemplates)) delete merged.withoutTemplates;
  return merged;
}
