import OutpostTestSupport
import Testing

@testable import OutpostStore

@Suite("SQL script splitting")
struct SQLScriptTests {
    @Test("semicolons inside strings, identifiers, dollar bodies and comments do not split")
    func quotedSemicolons() {
        let script = """
            CREATE TABLE "a;b" (x text DEFAULT 'it''s; fine');
            -- a comment; with a semicolon
            CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END; $$;
            /* block; /* nested; */ still comment */ SELECT $tag$ ; $$ ; $tag$;
            SELECT 2
            """
        let statements = SQLScript.statements(script)
        #expect(statements.count == 4)
        #expect(statements[0] == #"CREATE TABLE "a;b" (x text DEFAULT 'it''s; fine')"#)
        #expect(statements[1] == "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END; $$")
        #expect(statements[2] == "SELECT $tag$ ; $$ ; $tag$")
        #expect(statements[3] == "SELECT 2")
    }

    @Test("comment-only and empty pieces produce no statement")
    func emptyPieces() {
        #expect(SQLScript.statements("-- nothing\n;;  ; /* x */").isEmpty)
    }

    @Test("every embedded migration splits into statements that each end outside a quote")
    func migrationsSplit() {
        for migration in Migration.all {
            let statements = SQLScript.statements(migration.sql)
            #expect(!statements.isEmpty, "migration \(migration.version) is empty")
            for statement in statements {
                #expect(
                    statement.filter { $0 == "'" }.count % 2 == 0,
                    "unbalanced quote in migration \(migration.version): \(statement.prefix(80))")
            }
        }
    }
}
