/**
 * Writes a fit into the model files (`locksim calibrate --write-models`,
 * which `npm run calibrate` uses for the project's defaults): each fitted
 * parameter's `value:` becomes the fitted one and its `calibrated:` text
 * says what it was fitted to, the rest of the file (comments, ranges,
 * sources) left as it is. Only calibrated parameters can be written: a value
 * with a `source:` is a fact, not a fit.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseDocument, isMap } from 'yaml';
import { InputError } from '../input/errors.js';
import { ENVIRONMENT_PARAMETERS } from '../models/load.js';
import type { FittedParameter } from './calibrate.js';

/** What a fitted value's provenance says, before the reason the parameter exists. */
export function fittedProvenance(target: string): string {
  return `fitted by \`npm run calibrate\` to ${target}`;
}

const FITTED_PREFIX = /^fitted by `npm run calibrate` to [^;]*; /;

/** Where a parameter is written in its file. */
function pathOf(name: string): (string | number)[] {
  const environment = ENVIRONMENT_PARAMETERS.find(([n]) => n === name);
  return environment === undefined ? ['parameters', name] : ['environment', ...environment[1]];
}

/** Rewrites the files; returns the files changed. */
export function writeFittedValues(parameters: readonly FittedParameter[], target: string): string[] {
  const byFile = new Map<string, FittedParameter[]>();
  for (const parameter of parameters) byFile.set(parameter.file, [...(byFile.get(parameter.file) ?? []), parameter]);
  const changed: string[] = [];
  for (const [file, fitted] of byFile) {
    const document = parseDocument(readFileSync(file, 'utf8'));
    for (const parameter of fitted) {
      const path = pathOf(parameter.name);
      const node = document.getIn(path);
      if (!isMap(node) || !node.has('calibrated')) {
        throw new InputError(`\`${parameter.name}\` is not a calibrated parameter of ${file}`, { file, path: path.join('.'), expected: 'a parameter written with `calibrated:`', found: 'a sourced value' });
      }
      const reason = String(node.get('calibrated')).replace(FITTED_PREFIX, '');
      // A value the fit left where it was keeps the file's own text ("0.5 us" stays, not "500 ns").
      if (parameter.fitted !== parameter.initial) document.setIn([...path, 'value'], parameter.isDuration ? parameter.fittedText : parameter.fitted);
      document.setIn([...path, 'calibrated'], `${fittedProvenance(target)}; ${reason}`);
    }
    writeFileSync(file, document.toString({ lineWidth: 0, flowCollectionPadding: false }));
    changed.push(file);
  }
  return changed;
}
