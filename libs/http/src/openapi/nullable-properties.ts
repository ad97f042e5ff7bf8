// Property options for values a view may answer as null: the generated client types them `T | null`.
export const nullableText = (example?: string) => ({ type: String, nullable: true, ...(example !== undefined && { example }) });
export const nullableTime = { type: String, format: 'date-time', nullable: true } as const;
export const nullableId = { type: String, format: 'uuid', nullable: true } as const;
