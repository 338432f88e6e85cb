import type { Dictionary } from './localize.ts';

const seconds = (s: number) =>
  new Intl.NumberFormat('nl', { style: 'unit', unit: 'second', unitDisplay: 'long' }).format(s);

/** Nederlands (je-vorm, zoals in de meeste webwinkels). */
const nl: Dictionary = {
  region: 'Betaling',
  loading: 'Betaalmethoden laden…',
  total: 'Totaal',
  methods: 'Betaalmethode',
  email: 'E-mailadres',
  name: 'Volledige naam',
  phone: 'Telefoonnummer',
  cardNumber: 'Kaartnummer',
  expiry: 'Vervaldatum',
  mmyy: 'MM/JJ',
  cvv: 'CVC-code',
  holder: 'Naam op de kaart',
  pay: (amount) => `Betaal ${amount}`,
  payOnCardPage: (amount) => `Betaal ${amount} op de kaartpagina van Paydo`,
  paying: 'Je betaling wordt verwerkt…',
  required: 'Dit veld is verplicht.',
  invalidEmail: 'Vul een e-mailadres in zoals naam@example.com.',
  invalidFormat: 'De notatie is ongeldig.',
  cardIncomplete: 'Het kaartnummer is onvolledig.',
  cardInvalid: 'Het kaartnummer is ongeldig.',
  expiryFormat: 'Vul de vervaldatum in als MM/JJ.',
  expiryMonth: 'De maand moet tussen 01 en 12 liggen.',
  expiryPast: 'Deze kaart is verlopen.',
  cvvLength: (n) => `Vul de CVC-code van ${n} cijfers in.`,
  tooLong: (n) => `Gebruik maximaal ${n} tekens.`,
  fixErrors: 'Verbeter de gemarkeerde velden.',
  waiting: 'Wachten op bevestiging van de betaling…',
  gaveUp:
    'We konden de betaling nog niet bevestigen. Als er geld is afgeschreven, wordt je bestelling vanzelf bijgewerkt.',
  success: 'Betaling ontvangen. Bedankt!',
  fail: 'De betaling is niet gelukt.',
  tryAgain: 'Opnieuw proberen',
  paid: 'Deze bestelling is al betaald.',
  notFound: 'Deze bestelling is niet gevonden.',
  offline: 'Je lijkt offline te zijn. Controleer je verbinding.',
  rateLimited: (s) => `Te veel pogingen. Wacht ${seconds(s)} en probeer het dan opnieuw.`,
  unavailable: 'De betaaldienst reageert niet. Probeer het opnieuw.',
  inProgress: 'Er loopt al een betaling voor deze bestelling.',
  generic: 'Er ging iets mis. Probeer het opnieuw.',
  redirecting: 'Je wordt doorgestuurd om de betaling te bevestigen…',
  actionNeeded: 'Je betaling moet nog een keer worden bevestigd.',
  continue: 'Doorgaan',
  another: 'Andere kaart of betaalmethode gebruiken',
  hosted: 'Rond de betaling af op de beveiligde betaalpagina van Paydo.',
  continueOnPaydo: 'Verder naar Paydo',
  payOnPaydo: 'Of betaal liever op de pagina van Paydo',
  noMethods: 'Er is geen betaalmethode beschikbaar voor deze bestelling.',
  card_declined: 'De kaart is geweigerd.',
  insufficient_funds: 'Er staat niet genoeg saldo op de kaart.',
  incorrect_cvv: 'De beveiligingscode is onjuist.',
  three_d_secure_failed: 'De bank heeft de betaling niet bevestigd.',
  invoice_expired:
    'Deze betaling is verlopen voordat ze werd voltooid. Er is niets afgeschreven: betaal opnieuw om een nieuwe betaling te starten.',
};

export default nl;
