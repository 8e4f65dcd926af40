import { en, type Messages } from './en.ts';
import { fr } from './fr.ts';

export type { Messages } from './en.ts';

/**
 * The languages of the pages, English first: the fallback of the default `ui.languages`. A new language is
 * a file beside `en.ts` typed `Messages`, its code here and its catalogue in `MESSAGES`.
 */
export const LANGUAGES = ['en', 'fr'] as const;
export type Language = (typeof LANGUAGES)[number];

export const MESSAGES: { readonly [L in Language]: Messages } = { en, fr };

/** Keys of the messages that are plain texts (no placeholder): what the login flow's outcomes name. */
export type TextKey = { [K in keyof Messages]: Messages[K] extends string ? K : never }[keyof Messages];
