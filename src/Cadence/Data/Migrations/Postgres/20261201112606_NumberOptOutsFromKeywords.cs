using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Cadence.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class NumberOptOutsFromKeywords : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // A STOP the student texted before this step is theirs too: contacts opted out whose latest change was a keyword.
            migrationBuilder.Sql(@"INSERT INTO ""NumberOptOuts"" (""OrganizationId"", ""TeamId"", ""MobileNumber"", ""Source"", ""At"")
                SELECT c.""OrganizationId"", c.""TeamId"", c.""MobileNumber"", 'keyword', o.""At"" FROM ""Contacts"" c
                JOIN ""OptOutChanges"" o ON o.""Id"" = (SELECT MAX(o2.""Id"") FROM ""OptOutChanges"" o2 WHERE o2.""ContactId"" = c.""Id"")
                WHERE c.""OptedOut"" AND o.""Source"" = 'keyword';");

            // Before, a STOP from a contact already opted out (by import) left no change record, only the inbound text.
            migrationBuilder.Sql(@"INSERT INTO ""NumberOptOuts"" (""OrganizationId"", ""TeamId"", ""MobileNumber"", ""Source"", ""At"")
                SELECT c.""OrganizationId"", c.""TeamId"", c.""MobileNumber"", 'keyword', c.""UpdatedAt"" FROM ""Contacts"" c
                WHERE c.""OptedOut"" AND NOT EXISTS (SELECT 1 FROM ""NumberOptOuts"" n WHERE n.""OrganizationId"" = c.""OrganizationId""
                    AND n.""TeamId"" = c.""TeamId"" AND n.""MobileNumber"" = c.""MobileNumber"")
                AND EXISTS (SELECT 1 FROM ""Messages"" s WHERE s.""TeamId"" = c.""TeamId"" AND s.""MobileNumber"" = c.""MobileNumber"" AND s.""Direction"" = 'inbound'
                    AND UPPER(TRIM(s.""Body"")) IN ('STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT')
                    AND NOT EXISTS (SELECT 1 FROM ""Messages"" r WHERE r.""TeamId"" = c.""TeamId"" AND r.""MobileNumber"" = c.""MobileNumber""
                        AND r.""Direction"" = 'inbound' AND UPPER(TRIM(r.""Body"")) IN ('START', 'UNSTOP', 'YES') AND r.""Id"" > s.""Id""));");

        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(@"DELETE FROM ""NumberOptOuts"" WHERE ""Source"" = 'keyword';");

        }
    }
}
