/** JSON Schema of `.healthlint.yaml`. `extends` and `overrides` are part of the shape from the start so the loader can grow into them. */
export const CONFIG_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  additionalProperties: false,
  properties: {
    extends: {
      description: 'Preset(s) to start from: recommended (default), strict or all.',
      oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    },
    rules: {
      type: 'object',
      additionalProperties: {
        oneOf: [
          { enum: ['off', 'info', 'warning', 'error'] },
          { type: 'array', minItems: 1, maxItems: 2, items: [{ enum: ['off', 'info', 'warning', 'error'] }, { type: 'object' }] },
          {
            type: 'object',
            additionalProperties: false,
            properties: { severity: { enum: ['off', 'info', 'warning', 'error'] }, options: { type: 'object' } },
          },
        ],
      },
    },
    ignore: { type: 'array', items: { type: 'string' }, description: 'Gitignore-style patterns of files not to lint.' },
    publicEndpoints: { type: 'array', items: { type: 'string' }, description: 'Path patterns that are public by design (added to the built-in list).' },
    allowRemoteRefs: { type: 'boolean', description: 'Follow http(s) $refs. Off by default.' },
    maxFileSizeMB: { type: 'number', minimum: 1 },
    overrides: {
      type: 'array',
      items: {
        type: 'object',
        required: ['files'],
        additionalProperties: false,
        properties: {
          files: { type: 'array', items: { type: 'string' } },
          rules: { $ref: '#/properties/rules' },
        },
      },
    },
  },
} as const;
