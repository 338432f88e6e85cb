import type { Dictionary } from './localize.ts';

const rules = new Intl.PluralRules('pl');
/** 1 → one, 2–4 (22–24…) → few, else many: "1 sekundę", "2 sekundy", "5 sekund". */
const plural = (n: number, one: string, few: string, many: string) =>
  `${n} ${{ one, few }[rules.select(n) as 'one' | 'few'] ?? many}`;

/** Polski. */
const pl: Dictionary = {
  region: 'Płatność',
  loading: 'Wczytywanie metod płatności…',
  total: 'Do zapłaty',
  methods: 'Metoda płatności',
  email: 'E-mail',
  name: 'Imię i nazwisko',
  phone: 'Telefon',
  cardNumber: 'Numer karty',
  expiry: 'Data ważności',
  mmyy: 'MM/RR',
  cvv: 'Kod CVC',
  holder: 'Imię i nazwisko na karcie',
  pay: (amount) => `Zapłać ${amount}`,
  payOnCardPage: (amount) => `Zapłać ${amount} na stronie karty Paydo`,
  paying: 'Przetwarzanie płatności…',
  required: 'To pole jest wymagane.',
  invalidEmail: 'Wpisz adres e-mail w formacie nazwa@example.com.',
  invalidFormat: 'Nieprawidłowy format.',
  cardIncomplete: 'Numer karty jest niepełny.',
  cardInvalid: 'Nieprawidłowy numer karty.',
  expiryFormat: 'Wpisz datę ważności w formacie MM/RR.',
  expiryMonth: 'Miesiąc musi mieć wartość od 01 do 12.',
  expiryPast: 'Ta karta straciła ważność.',
  cvvLength: (n) => `Wpisz ${n}-cyfrowy kod CVC.`,
  tooLong: (n) => `Maksymalnie ${plural(n, 'znak', 'znaki', 'znaków')}.`,
  fixErrors: 'Popraw zaznaczone pola.',
  waiting: 'Czekamy na potwierdzenie płatności…',
  gaveUp:
    'Nie udało się jeszcze potwierdzić płatności. Jeśli środki zostały pobrane, zamówienie zaktualizuje się samo.',
  success: 'Płatność otrzymana. Dziękujemy!',
  fail: 'Płatność nie powiodła się.',
  tryAgain: 'Spróbuj ponownie',
  paid: 'To zamówienie jest już opłacone.',
  notFound: 'Nie znaleziono zamówienia.',
  offline: 'Wygląda na to, że nie masz połączenia z internetem. Sprawdź połączenie.',
  rateLimited: (s) => `Zbyt wiele prób. Odczekaj ${plural(s, 'sekundę', 'sekundy', 'sekund')} i spróbuj ponownie.`,
  unavailable: 'Serwis płatności nie odpowiada. Spróbuj ponownie.',
  inProgress: 'Płatność za to zamówienie jest już w toku.',
  generic: 'Coś poszło nie tak. Spróbuj ponownie.',
  redirecting: 'Przekierowujemy do potwierdzenia płatności…',
  actionNeeded: 'Płatność wymaga jeszcze jednego potwierdzenia.',
  continue: 'Dalej',
  another: 'Użyj innej karty lub metody',
  hosted: 'Aby dokończyć, przejdź na bezpieczną stronę płatności Paydo.',
  continueOnPaydo: 'Przejdź do Paydo',
  payOnPaydo: 'Lub zapłać na stronie Paydo',
  noMethods: 'Dla tego zamówienia nie ma dostępnej metody płatności.',
  card_declined: 'Karta została odrzucona.',
  insufficient_funds: 'Na karcie brakuje środków.',
  incorrect_cvv: 'Kod bezpieczeństwa jest nieprawidłowy.',
  three_d_secure_failed: 'Bank nie potwierdził płatności.',
  invoice_expired:
    'Ta płatność wygasła, zanim została dokończona. Nic nie zostało pobrane: zapłać ponownie, aby rozpocząć nową.',
};

export default pl;
