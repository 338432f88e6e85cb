import type { Dictionary } from './localize.ts';

const seconds = (s: number) =>
  new Intl.NumberFormat('it', { style: 'unit', unit: 'second', unitDisplay: 'long' }).format(s);

/** Italiano (del tu, come nella maggior parte dei negozi online). */
const it: Dictionary = {
  region: 'Pagamento',
  loading: 'Caricamento dei metodi di pagamento…',
  total: 'Totale',
  methods: 'Metodo di pagamento',
  email: 'E-mail',
  name: 'Nome e cognome',
  phone: 'Telefono',
  cardNumber: 'Numero della carta',
  expiry: 'Data di scadenza',
  mmyy: 'MM/AA',
  cvv: 'Codice di sicurezza',
  holder: 'Nome sulla carta',
  pay: (amount) => `Paga ${amount}`,
  payOnCardPage: (amount) => `Paga ${amount} sulla pagina carta di Paydo`,
  paying: 'Elaborazione del pagamento…',
  required: 'Questo campo è obbligatorio.',
  invalidEmail: 'Inserisci un indirizzo e-mail come nome@example.com.',
  invalidFormat: 'Il formato non è valido.',
  cardIncomplete: 'Il numero della carta è incompleto.',
  cardInvalid: 'Il numero della carta non è valido.',
  expiryFormat: 'Inserisci la data di scadenza nel formato MM/AA.',
  expiryMonth: 'Il mese deve essere compreso tra 01 e 12.',
  expiryPast: 'Questa carta è scaduta.',
  cvvLength: (n) => `Inserisci il codice di sicurezza di ${n} cifre.`,
  tooLong: (n) => `Usa al massimo ${n} caratteri.`,
  fixErrors: 'Correggi i campi evidenziati.',
  waiting: 'In attesa della conferma del pagamento…',
  gaveUp:
    'Non siamo ancora riusciti a confermare il pagamento. Se l’addebito è già avvenuto, il tuo ordine si aggiornerà da solo.',
  success: 'Pagamento ricevuto. Grazie!',
  fail: 'Il pagamento non è andato a buon fine.',
  tryAgain: 'Riprova',
  paid: 'Questo ordine è già stato pagato.',
  notFound: 'Ordine non trovato.',
  offline: 'Sembra che tu sia offline. Controlla la connessione.',
  rateLimited: (s) => `Troppi tentativi. Attendi ${seconds(s)} e riprova.`,
  unavailable: 'Il servizio di pagamento non risponde. Riprova.',
  inProgress: 'È già in corso un pagamento per questo ordine.',
  generic: 'Si è verificato un problema. Riprova.',
  redirecting: 'Ti stiamo portando alla conferma del pagamento…',
  actionNeeded: 'Il pagamento richiede un’ulteriore conferma.',
  continue: 'Continua',
  another: 'Usa un’altra carta o un altro metodo',
  hosted: 'Per completare, continua sulla pagina di pagamento sicura di Paydo.',
  continueOnPaydo: 'Continua su Paydo',
  payOnPaydo: 'Oppure paga sulla pagina di Paydo',
  noMethods: 'Nessun metodo di pagamento disponibile per questo ordine.',
  card_declined: 'La carta è stata rifiutata.',
  insufficient_funds: 'Fondi insufficienti sulla carta.',
  incorrect_cvv: 'Il codice di sicurezza è errato.',
  three_d_secure_failed: 'La banca non ha confermato il pagamento.',
  invoice_expired:
    'Questo pagamento è scaduto prima di essere completato. Non è stato addebitato nulla: paga di nuovo per avviarne uno nuovo.',
};

export default it;
