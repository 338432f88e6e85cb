/**
 * `@paydo-checkout/server-kit/testing`: what a merchant's own tests can use. The store contract
 * runs on a store of your own exactly as it runs on the kit's three.
 */
export { type ContractTestApi, describeStoreContract } from './store-contract.ts';
