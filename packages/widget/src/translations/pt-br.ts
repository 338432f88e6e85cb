import type { Dictionary } from './localize.ts';

const seconds = (s: number) =>
  new Intl.NumberFormat('pt-BR', { style: 'unit', unit: 'second', unitDisplay: 'long' }).format(s);

/** Português do Brasil: só o que difere de `pt.ts` (o resto vem de lá: `pt-BR` → `pt` → `en`). */
const ptBR: Dictionary = {
  loading: 'Carregando as formas de pagamento…',
  paying: 'Processando seu pagamento…',
  expiryPast: 'Este cartão está vencido.',
  fixErrors: 'Corrija os campos destacados.',
  waiting: 'Aguardando a confirmação do pagamento…',
  gaveUp:
    'Ainda não conseguimos confirmar o pagamento. Se o valor foi cobrado, seu pedido será atualizado automaticamente.',
  paid: 'Este pedido já foi pago.',
  notFound: 'Este pedido não foi encontrado.',
  offline: 'Parece que você está sem conexão. Verifique sua internet.',
  rateLimited: (s) => `Muitas tentativas. Aguarde ${seconds(s)} e tente novamente.`,
  unavailable: 'O serviço de pagamento não está respondendo. Tente novamente.',
  inProgress: 'Já existe um pagamento em andamento para este pedido.',
  redirecting: 'Redirecionando para a confirmação do pagamento…',
  actionNeeded: 'Seu pagamento precisa de mais uma confirmação.',
  payOnPaydo: 'Ou pague na página da Paydo',
  noMethods: 'Nenhuma forma de pagamento está disponível para este pedido.',
  payment_cancelled: 'O pagamento foi cancelado. Você pode escolher outra forma de pagamento.',
  eWallet: 'Carteira digital',
};

export default ptBR;
