/** `text` cut to `max` characters, saying how much was left out: client-supplied names echoed in headers, errors and logs. */
export function boundText(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…(${text.length - max} more characters)`;
}
