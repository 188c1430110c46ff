package store

// PackPayloadForTest is packPayload, for the benchmarks in store_test.
var PackPayloadForTest = packPayload
