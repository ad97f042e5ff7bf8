-- Runs once, when the PostgreSQL volume is first initialised: one database per service, crm_<service>; no service reads another's.
CREATE DATABASE crm_leads;
CREATE DATABASE crm_opportunities;
CREATE DATABASE crm_orders;
CREATE DATABASE crm_inventory;
CREATE DATABASE crm_finance;
CREATE DATABASE crm_analytics;
CREATE DATABASE crm_customers;
CREATE DATABASE crm_notifications;
