import Handlebars from 'handlebars';
import { counted, eventLabel, stepWords } from './plain-words';

/** The longest body a history page shows; the rest is cut, with a note saying how much. */
export const SHOWN_BODY_CHARS = 20_000;

const asText = (value: unknown): string => {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  return JSON.stringify(value, null, 2) ?? '';
};

/**
 * The template engine with Hookline's helpers. `{{ }}` escapes everything; no helper returns a
 * SafeString, so nothing a user or a webhook sent can become markup.
 */
export function createHandlebars(): typeof Handlebars {
  const hbs = Handlebars.create();
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hbs.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
  hbs.registerHelper('not', (a: unknown) => !a);
  hbs.registerHelper('includes', (list: unknown, item: unknown) => Array.isArray(list) && list.includes(item));
  // A list joined, or a value that is already text (a form sent back with its errors) as it is.
  hbs.registerHelper('join', (list: unknown, separator: unknown) => (Array.isArray(list) ? list.join(typeof separator === 'string' ? separator : ', ') : typeof list === 'string' ? list : ''));
  hbs.registerHelper('shown', (value: unknown) => {
    const text = asText(value);
    return text.length > SHOWN_BODY_CHARS ? `${text.slice(0, SHOWN_BODY_CHARS)}\n… (${text.length - SHOWN_BODY_CHARS} more characters not shown)` : text;
  });
  hbs.registerHelper('when', (value: unknown) => {
    if (typeof value !== 'string' && !(value instanceof Date)) return '';
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? '' : date.toISOString().replace('T', ' ').slice(0, 19) + ' UTC';
  });
  hbs.registerHelper('eventLabel', (event: unknown) => eventLabel(event));
  hbs.registerHelper('stepWords', (step: unknown) => stepWords(step));
  hbs.registerHelper('counted', (count: unknown, singular: unknown, plural: unknown) =>
    counted(count, String(singular), typeof plural === 'string' ? plural : undefined),
  );
  hbs.registerHelper('seconds', (value: unknown) => (typeof value === 'number' ? `${value < 60 ? value : Math.round(value / 60)}${value < 60 ? ' s' : ' min'}` : ''));
  return hbs;
}
