// BambooHR's home-address field aliases, in its own order: a fact about BambooHR that
// the connector requests and the simulator stores.
export const ADDRESS_FIELDS = ['address1', 'address2', 'city', 'state', 'zipcode', 'country'] as const;
