"""Graph → Neo4j: the batched, idempotent loader (constraints first, then MERGE per batch)."""

from .loader import DEFAULT_BATCH_SIZE, LoadSummary, load_graph_into_neo4j

__all__ = ["DEFAULT_BATCH_SIZE", "LoadSummary", "load_graph_into_neo4j"]
