import type { Dictionary } from './localize.ts';

const seconds = (s: number) =>
  new Intl.NumberFormat('fr', { style: 'unit', unit: 'second', unitDisplay: 'long' }).format(s);

/** Français (vouvoiement ; espace fine insécable avant « ! »). */
const fr: Dictionary = {
  region: 'Paiement',
  loading: 'Chargement des moyens de paiement…',
  total: 'Total',
  methods: 'Moyen de paiement',
  email: 'E-mail',
  name: 'Nom complet',
  phone: 'Téléphone',
  cardNumber: 'Numéro de carte',
  expiry: 'Date d’expiration',
  mmyy: 'MM/AA',
  cvv: 'Code de sécurité',
  holder: 'Nom sur la carte',
  pay: (amount) => `Payer ${amount}`,
  payOnCardPage: (amount) => `Payer ${amount} sur la page carte de Paydo`,
  paying: 'Traitement de votre paiement…',
  required: 'Ce champ est obligatoire.',
  invalidEmail: 'Saisissez une adresse e-mail comme nom@example.com.',
  invalidFormat: 'Le format n’est pas valide.',
  cardIncomplete: 'Le numéro de carte est incomplet.',
  cardInvalid: 'Le numéro de carte n’est pas valide.',
  expiryFormat: 'Saisissez la date d’expiration au format MM/AA.',
  expiryMonth: 'Le mois doit être compris entre 01 et 12.',
  expiryPast: 'Cette carte a expiré.',
  cvvLength: (n) => `Saisissez le code de sécurité à ${n} chiffres.`,
  tooLong: (n) => `${n} caractères au maximum.`,
  fixErrors: 'Veuillez corriger les champs signalés.',
  waiting: 'En attente de la confirmation du paiement…',
  gaveUp:
    'Nous n’avons pas encore pu confirmer le paiement. Si vous avez été débité, votre commande se mettra à jour automatiquement.',
  success: 'Paiement reçu. Merci\u202f!',
  fail: 'Le paiement n’a pas abouti.',
  tryAgain: 'Réessayer',
  paid: 'Cette commande est déjà payée.',
  notFound: 'Cette commande est introuvable.',
  offline: 'Vous semblez hors ligne. Vérifiez votre connexion.',
  rateLimited: (s) => `Trop de tentatives. Patientez ${seconds(s)} puis réessayez.`,
  unavailable: 'Le service de paiement ne répond pas. Veuillez réessayer.',
  inProgress: 'Un paiement est déjà en cours pour cette commande.',
  generic: 'Une erreur s’est produite. Veuillez réessayer.',
  redirecting: 'Redirection vers la confirmation du paiement…',
  actionNeeded: 'Votre paiement nécessite une confirmation supplémentaire.',
  continue: 'Continuer',
  another: 'Utiliser une autre carte ou un autre moyen',
  hosted: 'Pour terminer, continuez sur la page de paiement sécurisée de Paydo.',
  continueOnPaydo: 'Continuer sur Paydo',
  payOnPaydo: 'Ou payer plutôt sur la page Paydo',
  noMethods: 'Aucun moyen de paiement n’est disponible pour cette commande.',
  card_declined: 'La carte a été refusée.',
  insufficient_funds: 'Le solde de la carte est insuffisant.',
  incorrect_cvv: 'Le code de sécurité est erroné.',
  three_d_secure_failed: 'La banque n’a pas confirmé le paiement.',
  invoice_expired:
    'Ce paiement a expiré avant d’être finalisé. Rien n’a été débité : payez à nouveau pour en lancer un nouveau.',
};

export default fr;
