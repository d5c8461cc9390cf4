// The configuration schema (zod's v3 API, which has no JSON Schema export) as JSON Schema nodes,
// for scripts/gen-config-doc.mjs: only the keywords that script renders (type, properties,
// required, items, additionalProperties, anyOf, enum, const, format, pattern, startsWith,
// min/maxLength, minItems, minimum, exclusiveMinimum, maximum, exclusiveMaximum, default).
// A zod type it does not know is an error, so a new kind of option cannot be documented wrongly.

/** Whether an object may leave this field out (the input accepts undefined). */
function optionalField(schema) {
  const def = schema._def;
  switch (def.typeName) {
    case 'ZodOptional':
    case 'ZodDefault':
      return true;
    case 'ZodEffects':
      return optionalField(def.schema);
    default:
      return false;
  }
}

function stringNode(def) {
  const node = { type: 'string' };
  for (const check of def.checks) {
    if (check.kind === 'min') node.minLength = check.value;
    else if (check.kind === 'max') node.maxLength = check.value;
    else if (check.kind === 'length') node.minLength = node.maxLength = check.value;
    else if (check.kind === 'regex') node.pattern = check.regex.source;
    else if (check.kind === 'startsWith') node.startsWith = check.value;
    else if (check.kind === 'url') node.format = 'uri';
    else if (check.kind === 'datetime') node.format = 'date-time';
    else throw new Error(`zod3-to-json-schema: no rendering for the string check "${check.kind}"`);
  }
  return node;
}

function numberNode(def) {
  const node = { type: 'number' };
  for (const check of def.checks) {
    if (check.kind === 'int') node.type = 'integer';
    else if (check.kind === 'min') node[check.inclusive ? 'minimum' : 'exclusiveMinimum'] = check.value;
    else if (check.kind === 'max') node[check.inclusive ? 'maximum' : 'exclusiveMaximum'] = check.value;
    else if (check.kind !== 'finite') throw new Error(`zod3-to-json-schema: no rendering for the number check "${check.kind}"`);
  }
  return node;
}

/** The JSON Schema node of a zod 3 schema, as the configuration is written (its input). */
export function toJsonSchema(schema) {
  const def = schema._def;
  switch (def.typeName) {
    case 'ZodObject': {
      const shape = def.shape();
      const properties = Object.fromEntries(Object.entries(shape).map(([key, field]) => [key, toJsonSchema(field)]));
      const required = Object.keys(shape).filter((key) => !optionalField(shape[key]));
      return { type: 'object', properties, required, additionalProperties: false };
    }
    case 'ZodRecord':
      return { type: 'object', additionalProperties: toJsonSchema(def.valueType) };
    case 'ZodArray': {
      const node = { type: 'array', items: toJsonSchema(def.type) };
      if (def.minLength) node.minItems = def.minLength.value;
      if (def.exactLength) node.minItems = def.exactLength.value;
      return node;
    }
    case 'ZodUnion':
      return { anyOf: def.options.map(toJsonSchema) };
    case 'ZodDefault':
      return { ...toJsonSchema(def.innerType), default: def.defaultValue() };
    case 'ZodOptional':
      return toJsonSchema(def.innerType);
    case 'ZodEffects': // refine, transform, and z.custom / z.instanceof (a refined z.any())
      return toJsonSchema(def.schema);
    case 'ZodString':
      return stringNode(def);
    case 'ZodNumber':
      return numberNode(def);
    case 'ZodBoolean':
      return { type: 'boolean' };
    case 'ZodEnum':
      return { type: 'string', enum: def.values };
    case 'ZodLiteral':
      return { const: def.value };
    case 'ZodAny':
    case 'ZodUnknown':
      return {};
    default:
      throw new Error(`zod3-to-json-schema: no rendering for ${def.typeName}`);
  }
}
