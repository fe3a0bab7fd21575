import type { FastifySerializerCompiler } from 'fastify/types/schema.js'
import fastJson from 'fast-json-stringify'
import { serializerCompiler as zodSerializerCompiler } from 'fastify-type-provider-zod'
import { z } from 'zod'

type JsonSchema = { [keyword: string]: unknown }

/**
 * Keywords that only check a value. Responses are built by our own code from rows that were
 * checked on the way in, so the serializer keeps the shape (which properties, which branch of
 * a union) and leaves the checks out; a `pattern` per string was most of an inbox page's cost.
 */
const CHECKS_ONLY = new Set([
  '$schema',
  'pattern',
  'format',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'multipleOf',
  'description',
  'examples',
])

function isNullSchema(schema: unknown): boolean {
  return (schema as JsonSchema | undefined)?.type === 'null'
}

/** The schema with check-only keywords removed and `X | null` spelled as `nullable` X. */
export function shapeOnly(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(shapeOnly)
  if (typeof schema !== 'object' || schema === null) return schema
  const source = schema as JsonSchema
  const options = source.anyOf
  if (Array.isArray(options) && options.length === 2 && options.some(isNullSchema)) {
    const { anyOf: _anyOf, ...siblings } = source
    const other = options.find((option) => !isNullSchema(option)) as JsonSchema
    // A `$ref` with siblings would not be followed; such unions stay as they are.
    if (!('$ref' in other)) return shapeOnly({ ...siblings, ...other, nullable: true })
  }
  const result: JsonSchema = {}
  for (const [keyword, value] of Object.entries(source)) {
    if (CHECKS_ONLY.has(keyword)) continue
    // fast-json-stringify writes only named properties anyway; as a check, `false` would make a
    // union branch fail to match a value that carries one more column than the schema names.
    if (keyword === 'additionalProperties' && value === false) continue
    // Under `properties` (and `definitions`) the keys are names, not keywords.
    result[keyword] =
      keyword === 'properties' || keyword === 'definitions'
        ? Object.fromEntries(
            Object.entries(value as JsonSchema).map(([name, sub]) => [name, shapeOnly(sub)]),
          )
        : shapeOnly(value)
  }
  return result
}

/**
 * Compiles each response schema to a fast-json-stringify serializer, which writes only the
 * properties the schema names (nothing else a row holds can leak) without validating the
 * value again. A schema JSON Schema cannot express (a transform, a date) keeps zod's
 * serializer, which encodes and validates.
 */
export const serializerCompiler: FastifySerializerCompiler<z.ZodType> = (route) => {
  if (!(route.schema instanceof z.ZodType)) return zodSerializerCompiler(route)
  let jsonSchema: unknown
  try {
    jsonSchema = z.toJSONSchema(route.schema, {
      io: 'output',
      target: 'draft-07',
      unrepresentable: 'throw',
    })
  } catch {
    return zodSerializerCompiler(route)
  }
  return fastJson(shapeOnly(jsonSchema) as Parameters<typeof fastJson>[0])
}
