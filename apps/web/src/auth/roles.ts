export type Role = 'sales_rep' | 'sales_manager' | 'admin' | 'product_team' | 'finance' | 'integration';

export interface User {
  id: string;
  name: string;
  roles: Role[];
  team: string | null;
}

export const isManager = (user: User) => user.roles.includes('sales_manager') || user.roles.includes('admin');
export const isRep = (user: User) => user.roles.includes('sales_rep');
/** Who may work deals and orders (the API decides; the console only hides what would be refused). */
export const worksSales = (user: User) => isRep(user) || isManager(user);
