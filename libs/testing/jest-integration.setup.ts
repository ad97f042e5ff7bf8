// Integration specs talk to a real broker and database: consumer-group joins take seconds.
jest.setTimeout(60_000);
