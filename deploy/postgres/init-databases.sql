-- Runs once, when the PostgreSQL volume is first initialised: one database per service (DESIGN.md §2).
CREATE DATABASE crm_leads;
CREATE DATABASE crm_opportunities;
CREATE DATABASE crm_orders;
CREATE DATABASE crm_inventory;
CREATE DATABASE crm_finance;
CREATE DATABASE crm_analytics;
