"""gridgraph, the application: the click CLI, reports, views, exports and audit runs.

It stands on the three lower packages and nothing imports it: ``graphmodel`` (the ground: schema,
graph, snapshots, Neo4j connection and schema statements), ``loaders`` (ledgers → graph,
graph → Neo4j) and ``queries`` (the questions, answered embedded or in Cypher).
"""
