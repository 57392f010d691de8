using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Cadence.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class HSso : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "SsoIssuer",
                table: "Users",
                type: "TEXT",
                maxLength: 300,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SsoSubject",
                table: "Users",
                type: "TEXT",
                maxLength: 255,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Users_OrganizationId_SsoIssuer_SsoSubject",
                table: "Users",
                columns: new[] { "OrganizationId", "SsoIssuer", "SsoSubject" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Users_OrganizationId_SsoIssuer_SsoSubject",
                table: "Users");

            migrationBuilder.DropColumn(
                name: "SsoIssuer",
                table: "Users");

            migrationBuilder.DropColumn(
                name: "SsoSubject",
                table: "Users");
        }
    }
}
