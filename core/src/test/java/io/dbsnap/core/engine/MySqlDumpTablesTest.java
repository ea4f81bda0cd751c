package io.dbsnap.core.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class MySqlDumpTablesTest {

    @TempDir
    Path dir;

    @Test
    void theTablesADumpCreatesAreReadFromItsStructureSections() throws Exception {
        Path dump = dir.resolve("dump.sql");
        Files.writeString(dump, """
                -- dbsnap: all databases
                CREATE DATABASE /*!32312 IF NOT EXISTS*/ `shop` /*!40100 DEFAULT CHARACTER SET utf8mb4 */;
                USE `shop`;
                --
                -- Table structure for table `Orders`
                --
                CREATE TABLE `Orders` (
                  `id` int(11) NOT NULL
                );
                INSERT INTO `Orders` VALUES %s;
                DELIMITER ;;
                CREATE DEFINER=`root`@`%%` PROCEDURE `make_tmp`()
                BEGIN
                CREATE TABLE `scratch` (id int);
                END ;;
                DELIMITER ;
                USE `two words`;
                -- Table structure for table `odd``name`
                CREATE TABLE `odd``name` (
                  `x` int
                );
                -- Dump completed
                """.formatted("(1)," .repeat(100_000) + "(2)"));

        // in pieces of every size, so that lines and names are cut between pieces
        for (int piece : new int[]{1, 7, 4096, 1 << 20}) {
            assertThat(scan(Files.readAllBytes(dump), null, piece)).as("pieces of %d", piece).containsExactlyInAnyOrder(
                MySqlDumpTables.hex("shop") + " " + MySqlDumpTables.hex("Orders"),
                    MySqlDumpTables.hex("two words") + " " + MySqlDumpTables.hex("odd`name"));
        }
        // a one-database dump names no database: its tables belong to the target's
        Path one = dir.resolve("one.sql");
        Files.writeString(one, "-- Table structure for table `t`\nCREATE TABLE `t` (id int);\n");
        assertThat(scan(Files.readAllBytes(one), "app", 3)).containsExactly(MySqlDumpTables.hex("app") + " "
                + MySqlDumpTables.hex("t"));
    }

    private static java.util.Set<String> scan(byte[] dump, String database, int piece) {
        MySqlDumpTables tables = new MySqlDumpTables(database);
        for (int i = 0; i < dump.length; i += piece) {
            tables.update(dump, i, Math.min(piece, dump.length - i));
        }
        return tables.tables();
    }

    @Test
    void namesCompareWithoutCaseAsServersWithLowerCaseTableNamesStoreThem() {
        String dumped = MySqlDumpTables.hex("Shop") + " " + MySqlDumpTables.hex("Orders");
        String stored = MySqlDumpTables.hex("shop") + " " + MySqlDumpTables.hex("orders");
        assertThat(MySqlDumpTables.folded(dumped)).isEqualTo(MySqlDumpTables.folded(stored));
        assertThat(MySqlDumpTables.folded(dumped)).isNotEqualTo(MySqlDumpTables.folded(
                MySqlDumpTables.hex("shop") + " " + MySqlDumpTables.hex("order")));
    }
}
