//! The access engine: decides offline what AWS would answer to one request, and why.
//! (Built in the engine issue.)
