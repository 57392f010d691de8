using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Cadence.Data.Migrations.Sqlite
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
                WHERE c.""OptedOut"" = 1 AND o.""Source"" = 'keyword';");

        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(@"DELETE FROM ""NumberOptOuts"" WHERE ""Source"" = 'keyword';");

        }
    }
}
