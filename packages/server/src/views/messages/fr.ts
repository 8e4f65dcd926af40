import type { Messages } from './en.ts';

/**
 * French texts of the HTML pages. The type makes every English key required here. French typography:
 * a non-breaking space (U+00A0) before « : ? ! » and inside « guillemets », and the apostrophe ’.
 */
export const fr: Messages = {
  // Titres des pages et intertitres
  signIn: 'Connexion',
  signedInTitle: 'Session ouverte',
  signedInHeading: 'Connexion réussie',
  signedOutTitle: 'Déconnexion',
  signedOutHeading: 'Déconnexion réussie',
  twoStepVerification: 'Vérification en deux étapes',
  continueQuestion: 'Continuer ?',
  continuingTitle: 'Redirection',
  demoService: 'Service de démonstration',

  // Formulaire de connexion
  toContinueTo: 'pour accéder à',
  username: 'Identifiant',
  password: 'Mot de passe',
  warnMe: 'Me demander confirmation avant de me connecter à d’autres sites',
  rememberMe: 'Rester connecté sur cet appareil',
  signInButton: 'Se connecter',
  securityAdvice:
    'Pour votre sécurité, déconnectez-vous et fermez votre navigateur lorsque vous avez terminé.',

  // Messages affichés au-dessus du formulaire
  invalidCredentials: 'Identifiant ou mot de passe incorrect.',
  missingCredentials: 'Saisissez votre identifiant et votre mot de passe.',
  accountDisabled: 'Ce compte est désactivé.',
  throttled: 'Trop de tentatives de connexion. Patientez quelques minutes, puis réessayez.',
  sourceUnavailable: 'La connexion est momentanément indisponible. Veuillez réessayer dans quelques minutes.',
  secondFactorNotEnrolled:
    'Votre compte exige une vérification en deux étapes, qui n’est pas encore configurée. Contactez votre administrateur.',
  formExpired: 'Le formulaire de connexion a expiré. Veuillez réessayer.',
  sessionEnded: 'Votre session a pris fin. Veuillez vous reconnecter.',
  tooManyWrongCodes: 'Trop de codes erronés. Veuillez vous reconnecter.',
  wrongCode: 'Le code est incorrect ou a déjà été utilisé. Attendez le code suivant, puis réessayez.',

  // Formulaire du code de vérification
  enterCode: 'Saisissez le code à 6 chiffres affiché par votre application d’authentification.',
  code: 'Code',
  verify: 'Valider',
  noCode: 'Pas de code ?',
  startAgain: 'Recommencer',

  // Page d’avertissement (avant une connexion automatique)
  warnReason: 'Vous avez demandé une confirmation avant toute connexion à un autre site.',
  isAskingWhoYouAre: 'demande à connaître votre identité',
  warnSignedInAs: 'session ouverte au nom de',
  continueTo: (service) => `Continuer vers ${service}`,
  signOutInstead: 'Annuler et me déconnecter',

  // Page « session ouverte »
  signedInAs: 'Session ouverte au nom de',
  recognisedByApplications:
    'Les applications qui utilisent ce service d’authentification unique vous reconnaîtront.',
  signOut: 'Se déconnecter',

  // Page de déconnexion
  sessionHasEnded:
    'Votre session d’authentification unique est terminée. Fermez votre navigateur pour vous assurer qu’aucune application ne conserve votre session.',
  signingOutOfOthers: (count) =>
    count <= 1
      ? `Déconnexion de ${count} autre application en cours…`
      : `Déconnexion de ${count} autres applications en cours…`,
  continue: 'Continuer',
  signInAgain: 'Se reconnecter',

  // Formulaire envoyé automatiquement (method=POST)
  continuingTo: (service) => `Redirection vers ${service}…`,
  javascriptOff: 'JavaScript est désactivé : cliquez sur le bouton pour continuer.',

  // Service de démonstration
  demoTicketReceived:
    'Usher a renvoyé votre navigateur ici avec un ticket de service, comme il le ferait vers toute application enregistrée :',
  demoValidateIt: (seconds) =>
    `Une application le valide maintenant (une seule fois : un ticket ne sert qu’une fois et reste valable ${seconds} secondes). Essayez :`,
  demoIntro: 'Cette page joue le rôle d’une application protégée par Usher.',
  demoSignIn: 'Se connecter à cette application',

  // Pages d’erreur : intertitre, message, précision
  badRequest: 'Requête invalide',
  requestNotUnderstood: 'La requête n’a pas pu être comprise.',
  parameterNotText: (parameter) => `Le paramètre « ${parameter} » n’est pas du texte`,
  parameterTooLong: (parameter, maxLength) => `Le paramètre « ${parameter} » dépasse ${maxLength} caractères`,
  parameterControlCharacters: (parameter) =>
    `Le paramètre « ${parameter} » contient des caractères de contrôle ou de l’UTF-8 mal formé`,
  parameterRepeated: (parameter) => `Le paramètre « ${parameter} » figure plusieurs fois`,
  notFound: 'Page introuvable',
  noPageHere: 'Il n’y a aucune page à cette adresse.',
  temporarilyUnavailable: 'Service momentanément indisponible',
  storageUnavailable: 'La connexion est momentanément indisponible. Veuillez réessayer dans un instant.',
  somethingWentWrong: 'Une erreur est survenue',
  unexpectedError: 'Une erreur inattendue s’est produite. Elle a été consignée dans le journal.',
  unknownServiceHeading: 'Application non autorisée',
  unknownServiceMessage:
    'L’application d’où vous venez n’est pas enregistrée auprès de ce service d’authentification unique.',
  refusedServiceDetail:
    'Aucune information ne lui a été transmise. Si vous pensez qu’il s’agit d’une erreur, contactez l’administrateur de cette application.',
  disabledServiceHeading: 'Application désactivée',
  disabledServiceMessage:
    'L’application d’où vous venez ne peut pas utiliser ce service d’authentification unique pour le moment.',
  accessDeniedHeading: 'Accès refusé',
  accessDeniedMessage: (service) => `Votre compte n’est pas autorisé à accéder à ${service}.`,
  accessDeniedDetail: 'Aucun ticket n’a été émis. Demandez l’accès à l’administrateur de cette application.',
};
