/** The roles a token may carry (docs/architecture.md#api-conventions). */
export enum Role {
  Admin = 'admin',
  SalesManager = 'sales_manager',
  SalesRep = 'sales_rep',
  Integration = 'integration',
}

export const ALL_ROLES: readonly Role[] = Object.values(Role);
