import type { Dictionary } from './localize.ts';

const seconds = (s: number) =>
  new Intl.NumberFormat('pt', { style: 'unit', unit: 'second', unitDisplay: 'long' }).format(s);

/** Português (de Portugal; `pt-br.ts` traz o que muda no Brasil). */
const pt: Dictionary = {
  region: 'Pagamento',
  loading: 'A carregar as formas de pagamento…',
  total: 'Total',
  methods: 'Forma de pagamento',
  email: 'E-mail',
  name: 'Nome completo',
  phone: 'Telefone',
  cardNumber: 'Número do cartão',
  expiry: 'Data de validade',
  mmyy: 'MM/AA',
  cvv: 'Código de segurança',
  holder: 'Nome no cartão',
  pay: (amount) => `Pagar ${amount}`,
  payOnCardPage: (amount) => `Pagar ${amount} na página de cartão da Paydo`,
  paying: 'A processar o seu pagamento…',
  required: 'Este campo é obrigatório.',
  invalidEmail: 'Insira um endereço de e-mail como nome@example.com.',
  invalidFormat: 'O formato não é válido.',
  cardIncomplete: 'O número do cartão está incompleto.',
  cardInvalid: 'O número do cartão não é válido.',
  expiryFormat: 'Insira a data de validade no formato MM/AA.',
  expiryMonth: 'O mês deve estar entre 01 e 12.',
  expiryPast: 'Este cartão expirou.',
  cvvLength: (n) => `Insira o código de segurança de ${n} dígitos.`,
  tooLong: (n) => `Use no máximo ${n} caracteres.`,
  fixErrors: 'Corrija os campos assinalados.',
  waiting: 'A aguardar a confirmação do pagamento…',
  gaveUp:
    'Ainda não conseguimos confirmar o pagamento. Se o valor foi cobrado, a sua encomenda será atualizada automaticamente.',
  success: 'Pagamento recebido. Obrigado!',
  fail: 'O pagamento não foi concluído.',
  tryAgain: 'Tentar novamente',
  paid: 'Esta encomenda já está paga.',
  notFound: 'Esta encomenda não foi encontrada.',
  offline: 'Parece que está sem ligação. Verifique a sua ligação à Internet.',
  rateLimited: (s) => `Demasiadas tentativas. Aguarde ${seconds(s)} e tente novamente.`,
  unavailable: 'O serviço de pagamento não está a responder. Tente novamente.',
  inProgress: 'Já está em curso um pagamento para esta encomenda.',
  generic: 'Ocorreu um erro. Tente novamente.',
  redirecting: 'A redirecionar para a confirmação do pagamento…',
  actionNeeded: 'O seu pagamento precisa de mais uma confirmação.',
  continue: 'Continuar',
  another: 'Usar outro cartão ou outra forma',
  hosted: 'Para concluir, continue na página de pagamento segura da Paydo.',
  continueOnPaydo: 'Continuar na Paydo',
  payOnPaydo: 'Ou, em alternativa, pague na página da Paydo',
  noMethods: 'Não há nenhuma forma de pagamento disponível para esta encomenda.',
  card_declined: 'O cartão foi recusado.',
  insufficient_funds: 'O cartão não tem saldo suficiente.',
  incorrect_cvv: 'O código de segurança está errado.',
  three_d_secure_failed: 'O banco não confirmou o pagamento.',
  invoice_expired:
    'Este pagamento expirou antes de ser concluído. Nada foi cobrado: pague novamente para iniciar um novo.',
};

export default pt;
