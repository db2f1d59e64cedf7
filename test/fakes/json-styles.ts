function stringifyWithSeparators(value: unknown, itemSeparator: string, keySeparator: string): string {
  if (Array.isArray(value)) {
    return `[${value.map((item) => stringifyWithSeparators(item, itemSeparator, keySeparator)).join(itemSeparator)}]`;
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).filter(([, item]) => item !== undefined);
    const body = entries.map(([key, item]) => {
      return `${JSON.stringify(key)}${keySeparator}${stringifyWithSeparators(item, itemSeparator, keySeparator)}`;
    });
    return `{${body.join(itemSeparator)}}`;
  }
  return JSON.stringify(value);
}

/** Gemini's single-line SSE style: `": "` after keys, no space after commas (as recorded). */
export function stringifyGeminiEvent(value: unknown): string {
  return stringifyWithSeparators(value, ',', ': ');
}

/** The spaced style models use for tool arguments in the recordings: `{"city": "Edinburgh", "units": "c"}`. */
export function stringifyToolArguments(value: unknown): string {
  return stringifyWithSeparators(value, ', ', ': ');
}

/** OpenAI success bodies and Gemini bodies: two-space pretty JSON with a trailing newline. */
export function stringifyPretty2(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** OpenAI error bodies: four-space pretty JSON with a trailing newline. */
export function stringifyPretty4(value: unknown): string {
  return `${JSON.stringify(value, null, 4)}\n`;
}
