// A small JSON Schema checker: the subset docs/output.md uses (type, const, enum, oneOf,
// properties, required, additionalProperties: false, items). It returns the problems it
// finds, so a failing test says what is wrong and where.
export type Schema = {
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  oneOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean;
  items?: Schema;
};

export function validate(value: unknown, schema: Schema, path = '$'): string[] {
  const problems: string[] = [];
  if (schema.oneOf) {
    const matching = schema.oneOf.filter((s) => validate(value, s, path).length === 0);
    if (matching.length !== 1) problems.push(`${path}: matches ${matching.length} of the oneOf schemas, not exactly one`);
  }
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((t) => hasType(value, t))) problems.push(`${path}: ${JSON.stringify(value)} is not ${types.join(' or ')}`);
  }
  if ('const' in schema && value !== schema.const) problems.push(`${path}: is not ${JSON.stringify(schema.const)}`);
  if (schema.enum && !schema.enum.includes(value)) problems.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  if (isObject(value)) {
    for (const name of schema.required ?? []) if (!(name in value)) problems.push(`${path}: lacks '${name}'`);
    for (const [name, v] of Object.entries(value)) {
      const sub = schema.properties?.[name];
      if (sub) problems.push(...validate(v, sub, `${path}.${name}`));
      else if (schema.additionalProperties === false) problems.push(`${path}: has '${name}', which the schema does not allow`);
    }
  }
  if (Array.isArray(value) && schema.items) value.forEach((v, i) => problems.push(...validate(v, schema.items!, `${path}[${i}]`)));
  return problems;
}

function hasType(value: unknown, t: string): boolean {
  switch (t) {
    case 'null':
      return value === null;
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isObject(value);
    default:
      return typeof value === t;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
