import type { Dictionary } from './localize.ts';

const seconds = (s: number) =>
  new Intl.NumberFormat('de', { style: 'unit', unit: 'second', unitDisplay: 'long' }).format(s);

/** Deutsch (Sie-Form, wie im Zahlungsverkehr üblich). */
const de: Dictionary = {
  region: 'Zahlung',
  loading: 'Zahlungsarten werden geladen…',
  total: 'Gesamtbetrag',
  methods: 'Zahlungsart',
  email: 'E-Mail',
  name: 'Vollständiger Name',
  phone: 'Telefon',
  cardNumber: 'Kartennummer',
  expiry: 'Ablaufdatum',
  mmyy: 'MM/JJ',
  cvv: 'Sicherheitscode',
  holder: 'Name auf der Karte',
  pay: (amount) => `${amount} bezahlen`,
  payOnCardPage: (amount) => `${amount} auf der Kartenseite von Paydo bezahlen`,
  paying: 'Ihre Zahlung wird verarbeitet…',
  required: 'Dieses Feld ist erforderlich.',
  invalidEmail: 'Geben Sie eine E-Mail-Adresse wie name@example.com ein.',
  invalidFormat: 'Das Format ist ungültig.',
  cardIncomplete: 'Die Kartennummer ist unvollständig.',
  cardInvalid: 'Die Kartennummer ist ungültig.',
  expiryFormat: 'Geben Sie das Ablaufdatum im Format MM/JJ ein.',
  expiryMonth: 'Der Monat muss zwischen 01 und 12 liegen.',
  expiryPast: 'Diese Karte ist abgelaufen.',
  cvvLength: (n) => `Geben Sie den ${n}-stelligen Sicherheitscode ein.`,
  tooLong: (n) => `Höchstens ${n} Zeichen.`,
  fixErrors: 'Bitte korrigieren Sie die markierten Felder.',
  waiting: 'Warten auf die Bestätigung der Zahlung…',
  gaveUp:
    'Wir konnten die Zahlung noch nicht bestätigen. Falls Ihr Konto belastet wurde, wird Ihre Bestellung automatisch aktualisiert.',
  success: 'Zahlung erhalten. Vielen Dank!',
  fail: 'Die Zahlung ist fehlgeschlagen.',
  tryAgain: 'Erneut versuchen',
  paid: 'Diese Bestellung ist bereits bezahlt.',
  notFound: 'Diese Bestellung wurde nicht gefunden.',
  offline: 'Sie scheinen offline zu sein. Prüfen Sie Ihre Verbindung.',
  rateLimited: (s) => `Zu viele Versuche. Bitte warten Sie ${seconds(s)} und versuchen Sie es dann erneut.`,
  unavailable: 'Der Zahlungsdienst antwortet nicht. Bitte versuchen Sie es erneut.',
  inProgress: 'Für diese Bestellung läuft bereits eine Zahlung.',
  generic: 'Etwas ist schiefgelaufen. Bitte versuchen Sie es erneut.',
  redirecting: 'Sie werden zur Bestätigung der Zahlung weitergeleitet…',
  actionNeeded: 'Ihre Zahlung muss noch einmal bestätigt werden.',
  continue: 'Weiter',
  another: 'Andere Karte oder Zahlungsart wählen',
  hosted: 'Schließen Sie die Zahlung auf der sicheren Zahlungsseite von Paydo ab.',
  continueOnPaydo: 'Weiter zu Paydo',
  payOnPaydo: 'Oder stattdessen auf der Paydo-Seite bezahlen',
  noMethods: 'Für diese Bestellung ist keine Zahlungsart verfügbar.',
  card_declined: 'Die Karte wurde abgelehnt.',
  insufficient_funds: 'Die Karte ist nicht ausreichend gedeckt.',
  incorrect_cvv: 'Der Sicherheitscode ist falsch.',
  three_d_secure_failed: 'Die Bank hat die Zahlung nicht bestätigt.',
  invoice_expired:
    'Diese Zahlung ist abgelaufen, bevor sie abgeschlossen wurde. Es wurde nichts abgebucht: Bezahlen Sie erneut, um eine neue Zahlung zu starten.',
};

export default de;
