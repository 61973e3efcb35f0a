"""Exit 0 when the Neo4j server at URI (argv[1]) answers RETURN 1 through Bolt."""
import sys

import neo4j

with neo4j.GraphDatabase.driver(sys.argv[1], connection_timeout=3) as driver:
    records, _, _ = driver.execute_query("RETURN 1 AS one")
    sys.exit(0 if records[0]["one"] == 1 else 1)
