import type { BadParameterError } from '../http/params.ts';
import type { Messages } from './messages/index.ts';

/** Why an error page is shown; its texts come from the page's language (`errorPageTexts`). */
export type ErrorPage =
  | {
      problem:
        | 'unknown-service'
        | 'disabled-service'
        | 'not-found'
        | 'storage-unavailable'
        | 'bad-request'
        | 'internal-error';
    }
  | { problem: 'access-denied'; serviceName: string }
  | { problem: 'bad-parameter'; error: BadParameterError };

export interface ErrorPageTexts {
  heading: string;
  message: string;
  detail?: string;
}

export function errorPageTexts(t: Messages, page: ErrorPage): ErrorPageTexts {
  switch (page.problem) {
    case 'unknown-service':
      return {
        heading: t.unknownServiceHeading,
        message: t.unknownServiceMessage,
        detail: t.refusedServiceDetail,
      };
    case 'disabled-service':
      return {
        heading: t.disabledServiceHeading,
        message: t.disabledServiceMessage,
        detail: t.refusedServiceDetail,
      };
    case 'access-denied':
      return {
        heading: t.accessDeniedHeading,
        message: t.accessDeniedMessage(page.serviceName),
        detail: t.accessDeniedDetail,
      };
    case 'not-found':
      return { heading: t.notFound, message: t.noPageHere };
    case 'storage-unavailable':
      return { heading: t.temporarilyUnavailable, message: t.storageUnavailable };
    case 'bad-request':
      return { heading: t.badRequest, message: t.requestNotUnderstood };
    case 'bad-parameter':
      return { heading: t.badRequest, message: parameterProblem(t, page.error) };
    case 'internal-error':
      return { heading: t.somethingWentWrong, message: t.unexpectedError };
  }
}

function parameterProblem(t: Messages, error: BadParameterError): string {
  switch (error.problem) {
    case 'not-text':
      return t.parameterNotText(error.parameter);
    case 'too-long':
      return t.parameterTooLong(error.parameter, error.maxLength ?? 0);
    case 'control-characters':
      return t.parameterControlCharacters(error.parameter);
    case 'repeated':
      return t.parameterRepeated(error.parameter);
  }
}
