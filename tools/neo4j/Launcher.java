// Starts a Neo4j Community server from its Maven jars: java -cp 'lib/*' Launcher.java HOME PORT [PAGECACHE]
// Bolt on 127.0.0.1:PORT, no auth, a page cache of PAGECACHE (e.g. 512m, 2g; default 256m); stops
// cleanly on SIGTERM (make neo4j-down). The heap is the JVM's own -Xmx (server.sh).
import java.nio.file.Path;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;

public class Launcher {
    public static void main(String[] args) throws Exception {
        if (args.length < 2 || args.length > 3) {
            System.err.println("usage: java -cp 'lib/*' Launcher.java HOME PORT [PAGECACHE]");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);
        long pageCache = bytes(args.length == 3 ? args[2] : "256m");
        DatabaseManagementService service = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(GraphDatabaseSettings.auth_enabled, false)
                .setConfig(GraphDatabaseSettings.pagecache_memory, pageCache)
                // LOAD CSV may only read the server's own import folder, never arbitrary files.
                .setConfig(GraphDatabaseSettings.load_csv_file_url_root, home.resolve("import"))
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(service::shutdown));
        System.out.println("Neo4j ready on bolt://127.0.0.1:" + port);
        Thread.currentThread().join();
    }

    // "512m", "2g" or a number of bytes.
    static long bytes(String size) {
        String text = size.trim().toLowerCase();
        long unit = text.endsWith("g") ? 1L << 30 : text.endsWith("m") ? 1L << 20 : text.endsWith("k") ? 1L << 10 : 1;
        return Long.parseLong(unit == 1 ? text : text.substring(0, text.length() - 1)) * unit;
    }
}
