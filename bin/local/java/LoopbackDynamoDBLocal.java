/*
 * Starts Amazon's DynamoDB Local bound to one address (default 127.0.0.1). DynamoDBLocal.jar has no
 * host option: its Jetty connector listens on every interface ([::]). This launcher builds the server
 * from the usual command line, sets the connector's host before it starts, then starts it.
 *
 *   java -Dclaimflow.bind=127.0.0.1 -cp <this folder>:DynamoDBLocal.jar LoopbackDynamoDBLocal -port 8000 -inMemory
 *
 * Compiled once (javac --release 17) to LoopbackDynamoDBLocal.class beside this file; bin/local/dynamo.ts
 * runs the class, or this source file directly when the class is missing (needs a JDK).
 */
import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

public class LoopbackDynamoDBLocal {
  public static void main(String[] args) throws Exception {
    String host = System.getProperty("claimflow.bind", "127.0.0.1");
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
    Field f = DynamoDBProxyServer.class.getDeclaredField("server");
    f.setAccessible(true);
    Server server = (Server) f.get(proxy);
    int bound = 0;
    for (Connector c : server.getConnectors()) {
      if (c instanceof ServerConnector) {
        ((ServerConnector) c).setHost(host);
        bound++;
      }
    }
    if (bound == 0) throw new IllegalStateException("DynamoDB Local has no connector to bind to " + host);
    proxy.start();
  }
}
