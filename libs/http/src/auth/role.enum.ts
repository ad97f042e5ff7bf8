/** The roles a token may carry (docs/architecture.md#api-conventions). */
export enum Role {
  Admin = 'admin',
  SalesManager = 'sales_manager',
  SalesRep = 'sales_rep',
  Integration = 'integration',
  /** R&D and production: receives the complaints and quality problems routed to its product lines. */
  ProductTeam = 'product_team',
  /** Finance staff: receives overdue receivables and ERP refusals. */
  Finance = 'finance',
}

export const ALL_ROLES: readonly Role[] = Object.values(Role);
