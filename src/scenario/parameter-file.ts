/**
 * A parameter file (`run --params FILE`): values of kernel and node model
 * parameters and of the machine files' uncertain values, as `locksim
 * calibrate` writes them (or a person does). They apply to a scenario as
 * `--set` overrides written before the command line's own, so `--set` still
 * wins: `parameters.NAME` to a launch scenario, `machineParameters.NAME` to
 * any. The file says what its values were fitted to, so a report that ran
 * on it can say so.
 *
 *   # yaml-language-server: $schema=../schemas/parameters.schema.json
 *   description: fitted to my-node.csv by locksim calibrate
 *   fittedTo: measurements/my-node.csv
 *   parameters:
 *     ml_section: 3.2 us
 *     sandboxedServices: 18
 *   machineParameters:
 *     smtSlowdown: {at: 0.4}
 */
import { Type, type Static } from '@sinclair/typebox';
import { stringify } from 'yaml';
import { loadDocument } from '../input/load.js';
import { validateField } from '../input/fields.js';
import { MachineParametersSchema } from './schema.js';

export const ParameterFileSchema = Type.Object(
  {
    $schema: Type.Optional(Type.String({ description: 'JSON Schema reference for editors.' })),
    description: Type.Optional(Type.String({ description: 'What these values are.' })),
    fittedTo: Type.Optional(Type.String({ description: 'The measurements the values were fitted to (a file name), if any.' })),
    parameters: Type.Optional(
      Type.Record(
        Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$' }),
        Type.Union([Type.String({ minLength: 1, description: 'A duration, e.g. "3.2 us".' }), Type.Number({ minimum: 0, description: 'A count or factor.' })], {
          expected: 'a duration such as "3.2 us" or a number >= 0',
        }),
        { description: 'Kernel and node model parameters by name (as a scenario\'s `parameters:`).', default: {} },
      ),
    ),
    machineParameters: Type.Optional(MachineParametersSchema),
  },
  { additionalProperties: false, title: 'parameter file', description: 'Model and machine parameter values applied to a scenario with `locksim run --params FILE`.' },
);

export type ParameterFile = Static<typeof ParameterFileSchema>;

/** Reads and checks a parameter file (InputErrors name the file, line and field). */
export function readParameterFile(file: string): ParameterFile {
  const doc = loadDocument(file);
  return validateField<ParameterFile>(ParameterFileSchema, doc.value ?? {}, doc);
}

/** One `--set` per value, written as JSON (YAML flow): durations stay strings, `{at: 0.4}` a mapping. */
function setEntry(prefix: string, name: string, value: unknown): string {
  return `${prefix}.${name}=${JSON.stringify(value)}`;
}

/** The overrides a parameter file makes, as `--set` entries; model parameters only for a scenario kind that has them. */
export function parameterFileSets(file: ParameterFile, options: { readonly modelParameters: boolean }): string[] {
  const sets: string[] = [];
  if (options.modelParameters) for (const [name, value] of Object.entries(file.parameters ?? {})) sets.push(setEntry('parameters', name, value));
  for (const [name, value] of Object.entries(file.machineParameters ?? {})) sets.push(setEntry('machineParameters', name, value));
  return sets;
}

/** A parameter file's text, with the schema line. */
export function parameterFileText(file: ParameterFile, schemaPath = '../schemas/parameters.schema.json'): string {
  return `# yaml-language-server: $schema=${schemaPath}\n${stringify(file, { lineWidth: 0 })}`;
}
