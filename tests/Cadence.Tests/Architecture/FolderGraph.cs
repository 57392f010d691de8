using System.Reflection;
using System.Reflection.Emit;

namespace Cadence.Tests.Architecture;

/// <summary>
/// Which top-level folder of src/Cadence uses which, read from the compiled assembly (signatures and method
/// bodies, lambdas included), so a fully qualified name or a relative one (`Console.X` inside `Cadence`) counts
/// as much as a using line. A folder is the namespace's second part; the root namespace is "root".
/// </summary>
public static class FolderGraph
{
    /// <summary>Each (type, folder it uses outside its own), the type named by its outermost declaring type.</summary>
    public static SortedSet<string> Uses(Assembly assembly, Func<Type, bool> from, Func<string, bool> to)
    {
        var uses = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var type in assembly.GetTypes().Where(t => Folder(t) is not null && from(Outermost(t))))
        {
            foreach (var used in Uses(type).Where(u => u.Assembly == assembly))
            {
                if (Folder(used) is { } folder && folder != Folder(type) && to(folder))
                {
                    uses.Add($"{Outermost(type).FullName} -> {folder}");
                }
            }
        }
        return uses;
    }

    /// <summary>Each (type, type it uses in another folder), for a rule about single types rather than folders.</summary>
    public static SortedSet<string> TypeUses(Assembly assembly, Func<Type, bool> from, Func<Type, bool> to)
    {
        var uses = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var type in assembly.GetTypes().Where(t => Folder(t) is not null && from(Outermost(t))))
        {
            foreach (var used in Uses(type).Where(u => u.Assembly == assembly && Folder(u) is { } folder && folder != Folder(type)))
            {
                if (to(Outermost(used)))
                {
                    uses.Add($"{Outermost(type).FullName} -> {Outermost(used).FullName}");
                }
            }
        }
        return uses;
    }

    /// <summary>Each (type, type it uses in another folder), both named by their outermost declaring type.</summary>
    public static HashSet<(Type From, Type To)> CrossFolderUses(Assembly assembly)
    {
        var uses = new HashSet<(Type From, Type To)>();
        foreach (var type in assembly.GetTypes().Where(t => Folder(t) is not null))
        {
            foreach (var used in Uses(type).Where(u => u.Assembly == assembly && Folder(u) is { } folder && folder != Folder(type)))
            {
                uses.Add((Outermost(type), Outermost(used)));
            }
        }
        return uses;
    }

    public static string? Folder(Type type)
    {
        var ns = type.Namespace;
        if (ns == "Cadence")
        {
            return "root";
        }
        return ns?.StartsWith("Cadence.", StringComparison.Ordinal) == true ? ns.Split('.')[1] : null;
    }

    public static Type Outermost(Type type) => type.DeclaringType is { } outer ? Outermost(outer) : type;

    const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    static IEnumerable<Type> Uses(Type type)
    {
        var found = new HashSet<Type>();
        void Add(Type? t)
        {
            if (t is null || t.IsGenericParameter || !found.Add(t))
            {
                return;
            }
            Add(t.IsArray || t.IsByRef || t.IsPointer ? t.GetElementType() : null);
            if (t.IsGenericType)
            {
                foreach (var argument in t.GetGenericArguments())
                {
                    Add(argument);
                }
            }
        }
        Add(type.BaseType);
        foreach (var i in type.GetInterfaces())
        {
            Add(i);
        }
        foreach (var field in type.GetFields(All))
        {
            Add(field.FieldType);
        }
        foreach (var property in type.GetProperties(All))
        {
            Add(property.PropertyType);
        }
        foreach (var method in type.GetMethods(All).Cast<MethodBase>().Concat(type.GetConstructors(All)))
        {
            Add((method as MethodInfo)?.ReturnType);
            foreach (var parameter in method.GetParameters())
            {
                Add(parameter.ParameterType);
            }
            foreach (var member in BodyReferences(method))
            {
                Add(member as Type ?? member.DeclaringType);
                if (member is MethodInfo { IsGenericMethod: true } generic)
                {
                    foreach (var argument in generic.GetGenericArguments())
                    {
                        Add(argument);
                    }
                }
            }
        }
        return found;
    }

    static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => o.Value);

    /// <summary>The types, methods and fields a method body names (its IL operands that are metadata tokens).</summary>
    static IEnumerable<MemberInfo> BodyReferences(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null)
        {
            yield break;
        }
        var typeArguments = method.DeclaringType?.IsGenericType == true ? method.DeclaringType.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (var at = 0; at < il.Length;)
        {
            short value = il[at] == 0xFE ? (short)(0xFE00 | il[at + 1]) : il[at];
            at += il[at] == 0xFE ? 2 : 1;
            var opCode = OpCodesByValue[value];
            if (opCode.OperandType is OperandType.InlineType or OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineTok)
            {
                MemberInfo? member = null;
                try
                {
                    member = method.Module.ResolveMember(BitConverter.ToInt32(il, at), typeArguments, methodArguments);
                }
                catch (ArgumentException)
                {
                    // A token into a generic context this reading cannot supply: its declaring type is seen elsewhere.
                }
                if (member is not null)
                {
                    yield return member;
                }
            }
            at += OperandSize(opCode, il, at);
        }
    }

    static int OperandSize(OpCode opCode, byte[] il, int at) => opCode.OperandType switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, at),
        _ => 4,
    };
}
