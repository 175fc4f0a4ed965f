// A JVM application for the lab tests: sums 1..N on the executors and
// reports the driver's host, run with --spark-class=SumApp.
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

public class SumApp {
    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        List<Integer> xs = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            xs.add(i);
        }
        JavaSparkContext sc = new JavaSparkContext(new SparkConf());
        long sum = sc.parallelize(xs, 4).map(x -> (long) x).reduce(Long::sum);
        String host = new String(Files.readAllBytes(Paths.get("/proc/sys/kernel/hostname"))).trim();
        System.out.println("sum=" + sum);
        System.out.println("driver=" + host);
        sc.stop();
    }
}
