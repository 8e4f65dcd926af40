/**
 * The English texts of the HTML pages: the reference catalogue. Every other language is typed `Messages`,
 * so a missing (or extra) key fails the type check.
 *
 * A function fills its placeholders (a service name, a user, a count) and returns plain text: the
 * template escapes the result like any other `<%= %>` value. A key ending in a preposition ("to continue
 * to", "signed in as") is the part of a sentence the template follows with an emphasised value.
 */
export const en = {
  // Page titles (the layout's <title>) and headings
  signIn: 'Sign in',
  signedInTitle: 'Signed in',
  signedInHeading: 'You are signed in',
  signedOutTitle: 'Signed out',
  signedOutHeading: 'You are signed out',
  twoStepVerification: 'Two-step verification',
  continueQuestion: 'Continue?',
  continuingTitle: 'Continuing',
  demoService: 'Demo service',

  // Login form
  toContinueTo: 'to continue to',
  username: 'Username',
  password: 'Password',
  warnMe: 'Warn me before logging me into other sites',
  rememberMe: 'Keep me signed in on this device',
  signInButton: 'Sign in',
  securityAdvice: 'For security, sign out and close your browser when you are done.',

  // Messages of the login flow, shown above the form
  invalidCredentials: 'The username or password is incorrect.',
  missingCredentials: 'Enter your username and password.',
  accountDisabled: 'This account is disabled.',
  throttled: 'Too many sign-in attempts. Wait a few minutes and try again.',
  sourceUnavailable: 'Sign-in is temporarily unavailable. Please try again in a few minutes.',
  secondFactorNotEnrolled:
    'Your account needs two-step verification, which is not set up yet. Contact your administrator.',
  formExpired: 'Your sign-in form expired. Please try again.',
  sessionEnded: 'Your session ended. Please sign in again.',
  tooManyWrongCodes: 'Too many wrong codes. Sign in again.',
  wrongCode: 'The code is incorrect or was already used. Wait for the next code and try again.',

  // Two-step code form
  enterCode: 'Enter the 6-digit code from your authenticator app.',
  code: 'Code',
  verify: 'Verify',
  noCode: 'No code?',
  startAgain: 'Start again',

  // Warn page (before a single sign-on redirect)
  warnReason: 'You asked to be warned before being signed in to other sites.',
  isAskingWhoYouAre: 'is asking who you are',
  warnSignedInAs: 'signed in as',
  continueTo: (service: string) => `Continue to ${service}`,
  signOutInstead: 'Sign out instead',

  // Signed-in page
  signedInAs: 'Signed in as',
  recognisedByApplications: 'Applications using this single sign-on service will recognise you.',
  signOut: 'Sign out',

  // Signed-out page
  sessionHasEnded:
    'Your single sign-on session has ended. Close your browser to be sure no application keeps you signed in.',
  signingOutOfOthers: (count: number) => `Signing you out of ${count} other application(s)…`,
  continue: 'Continue',
  signInAgain: 'Sign in again',

  // Auto-submitted form (method=POST)
  continuingTo: (service: string) => `Continuing to ${service}…`,
  javascriptOff: 'JavaScript is off: press the button to continue.',

  // Demo service
  demoTicketReceived:
    'Usher redirected you here with a service ticket, as it would to any registered application:',
  demoValidateIt: (seconds: number) =>
    `An application now validates it (once: tickets are single use, and live ${seconds} seconds). Try it:`,
  demoIntro: 'This page stands for an application protected by Usher.',
  demoSignIn: 'Sign in to it',

  // Error pages: heading, message, detail
  badRequest: 'Bad request',
  requestNotUnderstood: 'The request could not be understood.',
  parameterNotText: (parameter: string) => `Parameter "${parameter}" is not text`,
  parameterTooLong: (parameter: string, maxLength: number) =>
    `Parameter "${parameter}" is longer than ${maxLength} characters`,
  parameterControlCharacters: (parameter: string) =>
    `Parameter "${parameter}" contains control characters or malformed UTF-8`,
  parameterRepeated: (parameter: string) => `Parameter "${parameter}" was given more than once`,
  notFound: 'Not found',
  noPageHere: 'There is no page at this address.',
  temporarilyUnavailable: 'Temporarily unavailable',
  storageUnavailable: 'Sign-in is temporarily unavailable. Please try again in a moment.',
  somethingWentWrong: 'Something went wrong',
  unexpectedError: 'An unexpected error occurred. It has been logged.',
  unknownServiceHeading: 'Application not authorized',
  unknownServiceMessage: 'The application you came from is not registered with this single sign-on service.',
  refusedServiceDetail:
    'Nothing was sent to it. If you think this is wrong, contact the administrator of the application.',
  disabledServiceHeading: 'Application disabled',
  disabledServiceMessage:
    'The application you came from may not use this single sign-on service at the moment.',
  accessDeniedHeading: 'Access denied',
  accessDeniedMessage: (service: string) => `Your account may not use ${service}.`,
  accessDeniedDetail: 'No ticket was issued. Ask the administrator of the application for access.',
};

/** The shape every language's catalogue has: the English keys, texts and placeholder functions. */
export type Messages = typeof en;
