/**
 * A module is a whole folder: the files next to the scanned ones that were not handed to the scan (a
 * single file named on the command line) are read too, through the scan root, for their variables,
 * locals and data sources (they never make roles of their own). Files the scanner already walked were
 * handed over or refused with a reason, and are not read again.
 */
import path from 'node:path';
import type { InputFile } from '../types.js';
import { addConfigFile, isConfigFile, type TfModule, tfvarsRank } from './config.js';
import { type FileReading, parseQuietly, type RankedTfvars } from './parse-files.js';
import { folderNames, realFolder } from './tree-reader.js';

export function readSiblingFiles(
  files: readonly InputFile[],
  modules: ReadonlyMap<string, TfModule>,
  r: FileReading,
  tfvars: RankedTfvars[],
): void {
  const given = new Set(files.map((f) => f.absPath).filter((p): p is string => p !== undefined));
  const walked = new Set(r.ctx.allFiles.map((p) => path.resolve(p)));
  for (const mod of modules.values()) {
    if (!path.isAbsolute(mod.dir)) continue;
    const realDir = realFolder(mod.dir);
    if (realDir === undefined) continue;
    const names = folderNames(mod.dir);
    if (!names) continue;
    for (const name of names) {
      const abs = path.join(mod.dir, name);
      if (given.has(abs) || walked.has(abs)) continue;
      const isConfig = isConfigFile(name);
      const rank = tfvarsRank(name);
      if (!isConfig && rank === undefined) continue;
      const display = path.join(mod.displayDir, name);
      // The folder of a file the user named is theirs; a link out of it must still stay in the root.
      const read = r.ctx.root.readFound(abs, [realDir]);
      if (!read.ok) {
        r.warnings.add({
          source: 'terraform',
          code: 'file-refused',
          message: `${display} (next to a scanned file) was not read: ${read.reason}`,
          file: display,
        });
        continue;
      }
      if (rank !== undefined) {
        tfvars.push({ file: { path: display, absPath: abs, text: read.text, explicit: false }, rank });
        continue;
      }
      const parsed = parseQuietly(display, abs, read.text, r)?.parsed;
      if (parsed) addConfigFile(mod, parsed, false);
    }
  }
}
