-- Runs once, when the PostgreSQL volume is first initialised: one database per service, crm_<service>; no service reads another's.
CREATE DATABASE crm_leads;
CREATE DATABASE crm_opportunities;
CREATE DATABASE crm_orders;
CREATE DATABASE crm_inventory;
CREATE DATABASE crm_finance;
CREATE DATABASE crm_analytics;
CREATE DATABASE crm_customers;
CREATE DATABASE crm_notifications;
-- The data keys of personal data (docs/decisions/0024-personal-data.md): a KMS stands in for it in production.
CREATE DATABASE crm_vault;
